// Publish and pull against a real CNCF distribution registry, anonymous access. skopeo, an
// independent client, checks that what we publish is a well-formed artifact; the attacks rewrite
// blobs in the registry's storage or publish lying manifests.
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlobCache, MEDIA_TYPES, OciError, parseReference, publishComponent, pullComponent, RegistryClient, sha256Digest } from "../src/index.js";
import { COMPONENT, DESCRIBE } from "./helpers/artifacts.js";
import { startRegistry, type Registry } from "../src/testing/registry.js";

let registry: Registry;
let cacheDir: string;
const client = new RegistryClient({ credentials: async () => undefined });
const ref = (path: string) => parseReference(`oci://${registry.host}/${path}`);

beforeAll(async () => {
  registry = await startRegistry("none");
  cacheDir = await mkdtemp(join(tmpdir(), "airlock-oci-cache-"));
});
afterAll(async () => {
  await registry?.stop();
  await rm(cacheDir, { recursive: true, force: true });
});

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OciError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
};

describe("publish and pull", () => {
  it("round-trips a component with WIT and a requested policy, by tag and by digest", async () => {
    const published = await publishComponent(client, ref("tools/demo:1.0"), { component: COMPONENT, describe: DESCRIBE, wit: "package root:component;\n", policy: 'version: "1.0"\n' });
    const byTag = await pullComponent(client, ref("tools/demo:1.0"));
    expect(byTag.digest).toBe(published.digest);
    expect(Buffer.compare(byTag.component, COMPONENT)).toBe(0);
    expect(byTag.wit).toBe("package root:component;\n");
    expect(byTag.policy).toBe('version: "1.0"\n');
    const byDigest = await pullComponent(client, ref(`tools/demo@${published.digest}`));
    expect(Buffer.compare(byDigest.component, COMPONENT)).toBe(0);
  });

  it("publishes an artifact skopeo reads as a Wasm component", async () => {
    const raw = JSON.parse(execFileSync("skopeo", ["inspect", "--tls-verify=false", "--raw", `docker://${registry.host}/tools/demo:1.0`], { encoding: "utf8" }));
    expect(raw.mediaType).toBe(MEDIA_TYPES.manifest);
    expect(raw.artifactType).toBe(MEDIA_TYPES.wasmConfig);
    expect(raw.config.mediaType).toBe(MEDIA_TYPES.wasmConfig);
    expect(raw.layers[0]).toMatchObject({ mediaType: "application/wasm", size: COMPONENT.length, digest: sha256Digest(COMPONENT) });
    const config = JSON.parse(execFileSync("skopeo", ["inspect", "--tls-verify=false", "--config", "--raw", `docker://${registry.host}/tools/demo:1.0`], { encoding: "utf8" }));
    expect(config).toMatchObject({ architecture: "wasm", os: "wasip2", layerDigests: [sha256Digest(COMPONENT)], component: DESCRIBE });
    const dir = await mkdtemp(join(tmpdir(), "airlock-skopeo-"));
    try {
      execFileSync("skopeo", ["copy", "--src-tls-verify=false", `docker://${registry.host}/tools/demo:1.0`, `oci:${dir}:demo`], { stdio: "pipe" });
      expect(Buffer.compare(await readFile(join(dir, "blobs", "sha256", sha256Digest(COMPONENT).slice(7))), COMPONENT)).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a pull by digest from the cache makes no request; a pull by tag asks the registry (the tag may have moved)", async () => {
    const cache = new BlobCache(cacheDir);
    const first = await pullComponent(client, ref("tools/demo:1.0"), { cache });
    expect(first.fromCache).toBe(false);
    let requests = 0;
    const counting = new RegistryClient({ credentials: async () => undefined, onRequest: () => requests++ });
    const again = await pullComponent(counting, ref(`tools/demo@${first.digest}`), { cache });
    expect(again.fromCache).toBe(true);
    expect(requests).toBe(0);
    const byTag = await pullComponent(counting, ref("tools/demo:1.0"), { cache });
    expect(requests).toBe(1);
    expect(byTag.digest).toBe(first.digest);
  });
});

describe("tags move", () => {
  it("a pull by tag after the tag moved gets the new digest, even with the old one cached", async () => {
    const cache = new BlobCache(cacheDir);
    const first = await publishComponent(client, ref("tools/moving:stable"), { component: COMPONENT, describe: DESCRIBE });
    expect((await pullComponent(client, ref("tools/moving:stable"), { cache })).digest).toBe(first.digest);
    const second = await publishComponent(client, ref("tools/moving:stable"), { component: Buffer.concat([COMPONENT, Buffer.from("v2")]), describe: DESCRIBE });
    const pulled = await pullComponent(client, ref("tools/moving:stable"), { cache });
    expect(pulled.digest).toBe(second.digest);
    expect(pulled.digest).not.toBe(first.digest);
    expect(pulled.component.length).toBe(COMPONENT.length + 2);
  });
});

describe("refusals", () => {
  it("refuses a missing tag with 'not found' naming the reference", async () => {
    const refused = await codeOf(pullComponent(client, ref("tools/demo:9.9")));
    expect(refused.code).toBe("NOT_FOUND");
    expect(refused.message).toBe(`oci://${registry.host}/tools/demo:9.9: not found (MANIFEST_UNKNOWN): check the tag with skopeo list-tags or publish it first`);
    expect((await codeOf(pullComponent(client, ref("tools/nothing-here:1")))).message).toContain(`oci://${registry.host}/tools/nothing-here:1: not found`);
  });

  it("refuses a blob rewritten in the registry's storage (digest mismatch)", async () => {
    const evil = Buffer.from(COMPONENT);
    evil[100] = evil[100]! ^ 0xff;
    await publishComponent(client, ref("tools/tampered:1.0"), { component: evil.subarray(0, evil.length - 1), describe: DESCRIBE });
    const digest = sha256Digest(evil.subarray(0, evil.length - 1));
    const file = join(registry.storage, "docker", "registry", "v2", "blobs", "sha256", digest.slice(7, 9), digest.slice(7), "data");
    const original = await readFile(file);
    const tampered = Buffer.from(original);
    tampered[10] = tampered[10]! ^ 0xff;
    await writeFile(file, tampered);
    const refused = await codeOf(pullComponent(client, ref("tools/tampered:1.0")));
    expect(refused.code).toBe("DIGEST_MISMATCH");
    expect(refused.message).toContain(`expected ${digest}, got ${sha256Digest(tampered)}`);
  });

  it.each([
    ["smaller", -1],
    ["larger", 1],
  ])("refuses a manifest that declares a %s layer size than the blob", async (_, delta) => {
    const component = await client.pushBlob(ref("tools/sizes:x"), COMPONENT, MEDIA_TYPES.wasmLayer);
    const config = await client.pushBlob(ref("tools/sizes:x"), Buffer.from("{}"), MEDIA_TYPES.wasmConfig);
    const manifest = { schemaVersion: 2, mediaType: MEDIA_TYPES.manifest, config, layers: [{ ...component, size: component.size + delta }] };
    await client.pushManifest(ref("tools/sizes:x"), `size${delta}`, Buffer.from(JSON.stringify(manifest)), MEDIA_TYPES.manifest);
    const refused = await codeOf(pullComponent(client, ref(`tools/sizes:size${delta}`)));
    expect(refused.code).toBe("SIZE_MISMATCH");
  });

  it("refuses a container image (not a Wasm artifact) before fetching its layers", async () => {
    const target = ref("tools/image:latest");
    const layer = await client.pushBlob(target, Buffer.from("not a tarball"), "application/vnd.oci.image.layer.v1.tar+gzip");
    const config = await client.pushBlob(target, Buffer.from('{"architecture":"amd64","os":"linux"}'), "application/vnd.oci.image.config.v1+json");
    await client.pushManifest(target, "latest", Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.manifest, config, layers: [layer] })), MEDIA_TYPES.manifest);
    const refused = await codeOf(pullComponent(client, target));
    expect(refused.code).toBe("NOT_A_COMPONENT");
    expect(refused.message).toContain(`oci://${registry.host}/tools/image:latest is not a Wasm component: config media type application/vnd.oci.image.config.v1+json`);
  });

  it("refuses a digest pin the registry's manifest does not match", async () => {
    const pinned = `sha256:${"0".repeat(64)}`;
    const refused = await codeOf(pullComponent(client, ref(`tools/demo@${pinned}`)));
    expect(refused.code).toBe("NOT_FOUND");
  });

  it("says the registry is unreachable, naming it", async () => {
    const refused = await codeOf(pullComponent(client, parseReference("oci://127.0.0.1:1/tools/demo:1.0")));
    expect(refused.code).toBe("UNREACHABLE");
    expect(refused.message).toContain("cannot reach 127.0.0.1:1");
  });
});

describe("limits", () => {
  it("refuses to download a layer declared larger than the limit (a registry filling memory or disk)", async () => {
    const error = await codeOf(pullComponent(client, ref("tools/demo:1.0"), { maxBlobBytes: 100 }));
    expect(error.code).toBe("SIZE_MISMATCH");
    expect(error.message).toContain("more than the 100 allowed");
  });
});
