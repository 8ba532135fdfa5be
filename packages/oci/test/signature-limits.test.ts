// Signature referrers come from the registry and are checked before anything of them is read:
// a bundle layer without a size (which once meant "no limit"), a referrer with many layers, or a
// malformed index must not make the client download without bound.
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, expect, it } from "vitest";
import { fallbackTag, MEDIA_TYPES, OciError, parseReference, pullComponent, readLimited, RegistryClient, sha256Digest } from "../src/index.js";
import { ecKeys } from "./helpers/artifacts.js";
import { fakeArtifact, fakeRegistry, type FakeServer } from "./helpers/fake-registry.js";

const servers: FakeServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const trust = { keys: [{ name: "publisher.pub", pem: ecKeys().publicPem }], required: true };
const BUNDLE = `sha256:${"b".repeat(64)}`;
const artifact = fakeArtifact();

/** A registry whose signature index lists one referrer manifest with the given layers. */
async function registryWithReferrer(layers: unknown[], bundleRequests: { count: number }): Promise<FakeServer> {
  const referrer = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.manifest,
      artifactType: MEDIA_TYPES.sigstoreBundle,
      config: { mediaType: MEDIA_TYPES.empty, digest: sha256Digest(Buffer.from("{}")), size: 2 },
      layers,
      subject: { mediaType: MEDIA_TYPES.manifest, digest: artifact.digest, size: artifact.manifest.length },
    }),
  );
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.index,
      manifests: [{ mediaType: MEDIA_TYPES.manifest, digest: sha256Digest(referrer), size: referrer.length, artifactType: MEDIA_TYPES.sigstoreBundle }],
    }),
  );
  const server = await fakeRegistry(artifact, (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "";
    const served = url.endsWith(`/manifests/${fallbackTag(artifact.digest)}`) ? index : url.endsWith(`/manifests/${sha256Digest(referrer)}`) ? referrer : undefined;
    if (served) {
      res.writeHead(200, { "content-type": served === index ? MEDIA_TYPES.index : MEDIA_TYPES.manifest }).end(served);
      return true;
    }
    if (!url.endsWith(`/blobs/${BUNDLE}`)) return false;
    bundleRequests.count++;
    // An endless "bundle": only a size limit stops it.
    res.writeHead(200);
    const chunk = Buffer.alloc(64 * 1024, "{");
    const pump = () => {
      while (!res.destroyed) if (!res.write(chunk)) return void res.once("drain", pump);
    };
    pump();
    return true;
  });
  servers.push(server);
  return server;
}

const pull = (server: FakeServer) => pullComponent(new RegistryClient({ credentials: async () => undefined }), parseReference(`oci://${server.host}/tools/demo:1.0`), { trust });

it.each([
  ["a bundle layer without a size (memory exhaustion)", [{ mediaType: MEDIA_TYPES.sigstoreBundle, digest: BUNDLE }]],
  ["a bundle layer with a size that is not a number", [{ mediaType: MEDIA_TYPES.sigstoreBundle, digest: BUNDLE, size: "1" }]],
  ["a referrer with many bundle layers", Array.from({ length: 50 }, () => ({ mediaType: MEDIA_TYPES.sigstoreBundle, digest: BUNDLE, size: 1000 }))],
  ["a bundle layer larger than 1 MiB", [{ mediaType: MEDIA_TYPES.sigstoreBundle, digest: BUNDLE, size: 2 * 1024 * 1024 }]],
])("skips, unread, a signature referrer with %s", async (_, layers) => {
  const bundleRequests = { count: 0 };
  const server = await registryWithReferrer(layers, bundleRequests);
  const error = await pull(server).then(
    () => expect.unreachable("expected a refusal"),
    (e: unknown) => e as OciError,
  );
  expect(error.code).toBe("SIGNATURE_MISSING");
  expect(bundleRequests.count).toBe(0);
});

it("readLimited refuses to read without a finite limit", async () => {
  for (const limit of [undefined, NaN, Infinity, -1]) {
    const error = await readLimited(new Response("x"), limit as unknown as number, "a blob").catch((e: unknown) => e as OciError);
    expect((error as OciError).code).toBe("BAD_MANIFEST");
  }
});
