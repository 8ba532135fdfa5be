// Every exchange has a deadline, body included: a registry, a blob server or a token server that
// stops answering (or trickles) ends the load with a clear "timed out", not a hang.
import { afterEach, expect, it } from "vitest";
import { deadlineFor, OciError, parseReference, pullComponent, RegistryClient } from "../src/index.js";
import { fakeArtifact, fakeRegistry, listen, type FakeServer } from "./helpers/fake-registry.js";

const servers: FakeServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
const started = <T extends FakeServer>(server: T) => (servers.push(server), server);
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("expected a refusal"),
    (e: unknown) => e as OciError,
  );
const client = (credentials = false) => new RegistryClient({ timeoutMs: 300, credentials: async () => (credentials ? { username: "alice", password: "pw" } : undefined) });

it("times out a registry that never answers a manifest request", async () => {
  const registry = started(await listen(() => {}));
  const before = Date.now();
  const error = await refusal(pullComponent(client(), parseReference(`oci://${registry.host}/tools/demo:1.0`)));
  expect(error.code).toBe("TIMED_OUT");
  expect(error.message).toBe(`${registry.host} timed out: no answer within 0.3 s: the server or the network is stuck or too slow; try again later`);
  expect(Date.now() - before).toBeLessThan(5000);
});

it("times out a blob whose body stalls after the headers (a trickling server)", async () => {
  const artifact = fakeArtifact();
  const registry = started(
    await fakeRegistry(artifact, (req, res) => {
      if (!req.url?.includes("/blobs/") || artifact.blobs.get(req.url.split("/").pop()!)!.length < 1000) return false;
      res.writeHead(200, { "content-length": String(artifact.blobs.get(req.url.split("/").pop()!)!.length) });
      res.write("\0asm");
      return true;
    }),
  );
  const before = Date.now();
  const error = await refusal(pullComponent(client(), parseReference(`oci://${registry.host}/tools/demo:1.0`)));
  expect(error.code).toBe("TIMED_OUT");
  expect(error.message).toContain("timed out while downloading (after 4 bytes)");
  expect(Date.now() - before).toBeLessThan(deadlineFor(artifact.blobs.size * 10_000, 300) + 3000);
});

it("times out a token server that never answers", async () => {
  const tokens = started(await listen(() => {}));
  const registry = started(await listen((_req, res) => void res.writeHead(401, { "www-authenticate": `Bearer realm="http://${tokens.host}/token",service="s"` }).end()));
  const error = await refusal(pullComponent(client(true), parseReference(`oci://${registry.host}/tools/demo:1.0`)));
  expect(error.code).toBe("TIMED_OUT");
  expect(error.message).toContain(`${tokens.host} timed out`);
});

it("gives a blob download more time the larger it is (one second per 256 KiB over the base)", () => {
  expect(deadlineFor(0)).toBe(60_000);
  expect(deadlineFor(512 * 1024 * 1024)).toBe(60_000 + 2048_000);
});
