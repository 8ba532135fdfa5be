// A registry or token server that answers with an endless body must not fill the client's memory:
// error bodies and token responses are read up to 64 KiB, then the connection is dropped.
import type { ServerResponse } from "node:http";
import { afterEach, expect, it } from "vitest";
import { OciError, parseReference, pullComponent, RegistryClient } from "../src/index.js";
import { listen, type FakeServer } from "./helpers/fake-registry.js";

const servers: FakeServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** Writes 64 KiB chunks until the client hangs up; returns a getter of the bytes written. */
function endless(res: ServerResponse, first: string, sent: { bytes: number }): void {
  const chunk = Buffer.alloc(64 * 1024, "a");
  res.write(first);
  const pump = () => {
    while (!res.destroyed && sent.bytes < 1024 * 1024 * 1024) {
      sent.bytes += chunk.length;
      if (!res.write(chunk)) return void res.once("drain", pump);
    }
  };
  res.on("close", () => res.removeAllListeners("drain"));
  pump();
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("expected a refusal"),
    (e: unknown) => e as OciError,
  );
const client = (credentials = false) => new RegistryClient({ credentials: async () => (credentials ? { username: "alice", password: "pw" } : undefined) });

it("drops an endless error body after 64 KiB (a registry filling memory through a 500)", async () => {
  const sent = { bytes: 0 };
  const registry = await listen((_req, res) => {
    res.writeHead(500, { "content-type": "application/json" });
    endless(res, '{"errors":[{"code":"X","message":"', sent);
  });
  servers.push(registry);
  const error = await refusal(pullComponent(client(), parseReference(`oci://${registry.host}/tools/demo:1.0`)));
  expect(error.code).toBe("REGISTRY_ERROR");
  expect(error.message).toContain("the registry answered 500");
  expect(sent.bytes).toBeLessThan(64 * 1024 * 1024);
});

it("drops an endless token response after 64 KiB (a token server filling memory)", async () => {
  const sent = { bytes: 0 };
  const tokens = await listen((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    endless(res, '{"token":"', sent);
  });
  servers.push(tokens);
  const registry = await listen((_req, res) => {
    res.writeHead(401, { "www-authenticate": `Bearer realm="http://${tokens.host}/token",service="s"` }).end();
  });
  servers.push(registry);
  const error = await refusal(pullComponent(client(true), parseReference(`oci://${registry.host}/tools/demo:1.0`)));
  expect(error.code).toBe("AUTH_FAILED");
  expect(error.message).toContain(`the token server ${tokens.host} sent more than 65536 bytes, not a token`);
  expect(sent.bytes).toBeLessThan(64 * 1024 * 1024);
});
