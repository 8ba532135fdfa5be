// Signatures: a sigstore bundle signed with the publisher's key, attached as a referrer through
// the sha256-<hex> fallback tag, verified offline against trusted public keys.
import { execFileSync } from "node:child_process";
import { createPrivateKey, createPublicKey, sign } from "node:crypto";
import { bundleToJSON } from "@sigstore/bundle";
import { MessageSignatureBundleBuilder } from "@sigstore/sign";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BlobCache,
  fallbackTag,
  MEDIA_TYPES,
  parseReference,
  publishComponent,
  pullComponent,
  RegistryClient,
  attachReferrer,
  keyFingerprint,
  signComponent,
  type Descriptor,
  type Reference,
} from "../src/index.js";
import { COMPONENT, DESCRIBE, ecKeys, refusal } from "./helpers/artifacts.js";
import { startRegistry, type Registry } from "../src/testing/registry.js";

let registry: Registry;
const client = new RegistryClient({ credentials: async () => undefined });
const publisher = ecKeys();
const stranger = ecKeys();
const trusted = { keys: [{ name: "publisher.pub", pem: publisher.publicPem }], required: true };
const ref = (path: string) => parseReference(`oci://${registry.host}/${path}`);

/** Copies a manifest (and what it lists) byte for byte to another repository, as someone with push access could. */
async function copyManifest(from: Reference, to: Reference, selector: string): Promise<void> {
  const { bytes, mediaType } = await client.getManifest(from);
  const parsed = JSON.parse(Buffer.from(bytes).toString("utf8")) as { config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[] };
  for (const d of [...(parsed.config ? [parsed.config] : []), ...(parsed.layers ?? [])]) await client.pushBlob(to, await client.getBlob(from, d), d.mediaType);
  for (const d of parsed.manifests ?? []) await copyManifest({ registry: from.registry, repository: from.repository, digest: d.digest }, to, d.digest);
  await client.pushManifest(to, selector, bytes, mediaType);
}

beforeAll(async () => {
  registry = await startRegistry("none");
});
afterAll(() => registry?.stop());

describe("signatures", () => {
  it("a component signed by a trusted key loads, and the signature is a referrer skopeo can read", async () => {
    const published = await publishComponent(client, ref("s/signed:1"), { component: COMPONENT, describe: DESCRIBE, signingKey: { pem: publisher.privatePem, name: "key.pem" } });
    const pulled = await pullComponent(client, ref("s/signed:1"), { trust: trusted });
    expect(pulled.signedBy).toBe("publisher.pub");
    const index = JSON.parse(execFileSync("skopeo", ["inspect", "--tls-verify=false", "--raw", `docker://${registry.host}/s/signed:${fallbackTag(published.digest)}`], { encoding: "utf8" }));
    expect(index.manifests).toEqual([expect.objectContaining({ artifactType: MEDIA_TYPES.sigstoreBundle, digest: published.signature })]);
    const referrer = JSON.parse(execFileSync("skopeo", ["inspect", "--tls-verify=false", "--raw", `docker://${registry.host}/s/signed@${published.signature}`], { encoding: "utf8" }));
    expect(referrer.subject.digest).toBe(published.digest);
  });

  it("refuses an unsigned component when signatures are required, naming the digest", async () => {
    const published = await publishComponent(client, ref("s/unsigned:1"), { component: COMPONENT, describe: DESCRIBE });
    const error = await refusal(pullComponent(client, ref("s/unsigned:1"), { trust: trusted }));
    expect(error.code).toBe("SIGNATURE_MISSING");
    expect(error.message).toContain(`(${published.digest}) is not signed and signatures are required`);
    expect((await pullComponent(client, ref("s/unsigned:1"), { trust: { ...trusted, required: false } })).signedBy).toBeUndefined();
  });

  it("refuses a component signed by an untrusted key, naming the key", async () => {
    await publishComponent(client, ref("s/stranger:1"), { component: COMPONENT, describe: DESCRIBE, signingKey: { pem: stranger.privatePem, name: "stranger.pem" } });
    const error = await refusal(pullComponent(client, ref("s/stranger:1"), { trust: { ...trusted, required: false } }));
    expect(error.code).toBe("UNTRUSTED_KEY");
    expect(error.message).toMatch(/signed by untrusted key [0-9a-f]{64}/);
  });

  it("refuses a signature copied from another component (a valid bundle for a different manifest)", async () => {
    const other = await publishComponent(client, ref("s/victim:1"), { component: Buffer.concat([COMPONENT, Buffer.from("x")]), describe: DESCRIBE });
    const bundle = await signComponent(ref("s/victim:1"), `sha256:${"0".repeat(64)}`, publisher.privatePem, "key.pem");
    await attachReferrer(
      client,
      ref("s/victim:1"),
      { mediaType: MEDIA_TYPES.manifest, digest: other.digest, size: other.size },
      { bytes: Buffer.from(JSON.stringify(bundle)), mediaType: MEDIA_TYPES.sigstoreBundle },
      MEDIA_TYPES.sigstoreBundle,
    );
    const error = await refusal(pullComponent(client, ref("s/victim:1"), { trust: trusted }));
    expect(error.code).toBe("SIGNATURE_INVALID");
    expect(error.message).toContain("another manifest");
  });

  it("refuses a bundle whose signature bytes were altered", async () => {
    const published = await publishComponent(client, ref("s/forged:1"), { component: Buffer.concat([COMPONENT, Buffer.from("y")]), describe: DESCRIBE });
    const bundle = (await signComponent(ref("s/forged:1"), published.digest, publisher.privatePem, "key.pem")) as unknown as { dsseEnvelope: { signatures: { sig: string }[] } };
    const signature = Buffer.from(bundle.dsseEnvelope.signatures[0]!.sig, "base64");
    signature[signature.length - 1] = signature[signature.length - 1]! ^ 1;
    bundle.dsseEnvelope.signatures[0]!.sig = signature.toString("base64");
    await attachReferrer(
      client,
      ref("s/forged:1"),
      { mediaType: MEDIA_TYPES.manifest, digest: published.digest, size: published.size },
      { bytes: Buffer.from(JSON.stringify(bundle)), mediaType: MEDIA_TYPES.sigstoreBundle },
      MEDIA_TYPES.sigstoreBundle,
    );
    const error = await refusal(pullComponent(client, ref("s/forged:1"), { trust: trusted }));
    expect(error.code).toBe("SIGNATURE_INVALID");
  });

  it("refuses a signed artifact copied with its signature over another repository's tag (the signature names the repository)", async () => {
    const signed = await publishComponent(client, ref("s/fetcher:1"), {
      component: Buffer.concat([COMPONENT, Buffer.from("fetch")]),
      describe: DESCRIBE,
      signingKey: { pem: publisher.privatePem, name: "key.pem" },
    });
    expect((await pullComponent(client, ref("s/fetcher:1"), { trust: trusted })).signedBy).toBe("publisher.pub");
    // Someone with push access to s/grammar-checker copies the manifest, its blobs and its signature index there.
    const from = ref("s/fetcher:1");
    const to = ref("s/grammar-checker:1");
    await copyManifest(from, to, "1");
    await copyManifest({ ...from, tag: fallbackTag(signed.digest) }, to, fallbackTag(signed.digest));
    const error = await refusal(pullComponent(client, to, { trust: trusted }));
    expect(error.code).toBe("SIGNATURE_INVALID");
    expect(error.message).toContain(`(${signed.digest}): signed by publisher.pub for "${registry.host}/s/fetcher", not for ${registry.host}/s/grammar-checker`);
  });

  it("refuses a bundle that signs the bare manifest, not the repository (an old-style signature)", async () => {
    const published = await publishComponent(client, ref("s/old-style:1"), { component: Buffer.concat([COMPONENT, Buffer.from("old")]), describe: DESCRIBE });
    const manifest = (await client.getManifest(ref("s/old-style:1"))).bytes;
    const { privateKey, publicKey } = { privateKey: createPrivateKey(publisher.privatePem), publicKey: createPublicKey(publisher.publicPem) };
    const hint = keyFingerprint(publicKey);
    const builder = new MessageSignatureBundleBuilder({
      signer: { sign: async (data) => ({ signature: sign("sha256", data, privateKey), key: { $case: "publicKey", publicKey: publisher.publicPem, hint } }) },
      witnesses: [],
    });
    const bundle = bundleToJSON(await builder.create({ data: Buffer.from(manifest) }));
    await attachReferrer(
      client,
      ref("s/old-style:1"),
      { mediaType: MEDIA_TYPES.manifest, digest: published.digest, size: published.size },
      { bytes: Buffer.from(JSON.stringify(bundle)), mediaType: MEDIA_TYPES.sigstoreBundle },
      MEDIA_TYPES.sigstoreBundle,
    );
    const error = await refusal(pullComponent(client, ref("s/old-style:1"), { trust: trusted }));
    expect(error.code).toBe("SIGNATURE_INVALID");
    expect(error.message).toContain("it signs the bare manifest, not the repository and digest");
  });

  it("verifies a cached signed component offline, with no request", async () => {
    const dir = await mkdtemp(join(tmpdir(), "airlock-oci-cache-"));
    try {
      const cache = new BlobCache(dir);
      const first = await pullComponent(client, ref("s/signed:1"), { cache, trust: trusted });
      let requests = 0;
      const counting = new RegistryClient({ credentials: async () => undefined, onRequest: () => requests++ });
      const again = await pullComponent(counting, ref(`s/signed@${first.digest}`), { cache, trust: trusted });
      expect(again.signedBy).toBe("publisher.pub");
      expect(requests).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("an unsigned cached component loads offline when keys are trusted but signatures optional", async () => {
    const dir = await mkdtemp(join(tmpdir(), "airlock-oci-cache-"));
    try {
      const cache = new BlobCache(dir);
      const optional = { ...trusted, required: false };
      const first = await pullComponent(client, ref("s/unsigned:1"), { cache, trust: optional });
      let requests = 0;
      const counting = new RegistryClient({ credentials: async () => undefined, onRequest: () => requests++ });
      await pullComponent(counting, ref(`s/unsigned@${first.digest}`), { cache, trust: optional });
      expect(requests).toBe(0);
      expect((await refusal(pullComponent(counting, ref(`s/unsigned@${first.digest}`), { cache, trust: trusted }))).code).toBe("SIGNATURE_MISSING");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
