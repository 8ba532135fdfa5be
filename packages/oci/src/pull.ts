// Pulling a component: the manifest (from the cache when the reference pins a digest, else from
// the registry: a tag may have moved), checked to be a Wasm artifact, then its layers from the
// cache or the registry, each checked against its size and digest. With trusted keys, the
// signature bundles attached to the manifest are verified offline before anything is returned.
import type { BlobCache } from "./cache.js";
import { verifyContent } from "./digest.js";
import { OciError } from "./errors.js";
import { formatReference, type Reference } from "./reference.js";
import { fetchSignatureBundles } from "./referrers.js";
import type { Descriptor, RegistryClient } from "./registry-client.js";
import { dockerReference, verifyComponentSignature, type TrustedKey } from "./signatures.js";
import { readWasmManifest, type ImageManifest } from "./wasm-artifact.js";

export interface TrustSettings {
  keys: TrustedKey[];
  /** Refuse components without a valid signature by a trusted key. */
  required: boolean;
}

export interface PullOptions {
  cache?: BlobCache;
  trust?: TrustSettings;
  /** The largest layer accepted; default 512 MiB. */
  maxBlobBytes?: number;
}

const MAX_BLOB_BYTES = 512 * 1024 * 1024;

export interface PulledComponent {
  reference: string;
  /** The manifest digest: what the reference resolved to. */
  digest: string;
  manifest: ImageManifest;
  component: Uint8Array;
  wit?: string;
  /** The publisher's requested policy (YAML), if the artifact carries one. */
  policy?: string;
  /** The trusted key that signed it, when signatures were checked. */
  signedBy?: string;
  /** Whether everything came from the cache, without a request. */
  fromCache: boolean;
}

export async function pullComponent(client: RegistryClient, ref: Reference, options: PullOptions = {}): Promise<PulledComponent> {
  const name = formatReference(ref);
  const { cache } = options;
  let fromCache = true;
  let manifestBytes = ref.digest ? await cache?.get(ref.digest) : undefined;
  let digest = ref.digest;
  if (!manifestBytes) {
    fromCache = false;
    const pulled = await client.getManifest(ref);
    manifestBytes = pulled.bytes;
    digest = pulled.digest;
    await cache?.put(pulled.digest, pulled.bytes);
  }
  const { manifest, layers } = readWasmManifest(manifestBytes, name);
  const blob = async (descriptor: Descriptor): Promise<Uint8Array> => {
    if (descriptor.size > (options.maxBlobBytes ?? MAX_BLOB_BYTES)) {
      throw new OciError(
        "SIZE_MISMATCH",
        `${name}: layer ${descriptor.digest} declares ${descriptor.size} bytes, more than the ${options.maxBlobBytes ?? MAX_BLOB_BYTES} allowed: refusing to download it`,
      );
    }
    const cached = await cache?.get(descriptor.digest);
    if (cached) {
      verifyContent(cached, descriptor, `${name}: blob ${descriptor.digest}`);
      return cached;
    }
    fromCache = false;
    const bytes = await client.getBlob(ref, descriptor);
    await cache?.put(descriptor.digest, bytes);
    return bytes;
  };
  const signedBy = await checkSignature(client, ref, manifestBytes, digest!, options, () => (fromCache = false));
  const component = await blob(layers.component);
  const text = async (d?: Descriptor) => (d ? Buffer.from(await blob(d)).toString("utf8") : undefined);
  const wit = await text(layers.wit);
  const policy = await text(layers.policy);
  return { reference: name, digest: digest!, manifest, component, ...(wit !== undefined ? { wit } : {}), ...(policy !== undefined ? { policy } : {}), ...(signedBy ? { signedBy } : {}), fromCache };
}

async function checkSignature(client: RegistryClient, ref: Reference, manifest: Uint8Array, digest: string, options: PullOptions, usedNetwork: () => void): Promise<string | undefined> {
  const trust = options.trust;
  if (!trust || (!trust.required && trust.keys.length === 0)) return undefined;
  const name = formatReference(ref);
  const { cache } = options;
  let bundles: Uint8Array[] | undefined;
  const recorded = await cache?.referrers(digest, dockerReference(ref));
  // An empty record is trusted only when signatures are optional: a required one may have been added since.
  if (recorded && (recorded.length > 0 || !trust.required)) {
    const cached = await Promise.all(recorded.map((d) => cache!.get(d)));
    if (cached.every((b) => b !== undefined)) bundles = cached as Uint8Array[];
  }
  if (!bundles) {
    usedNetwork();
    const fetched = await fetchSignatureBundles(client, ref, digest);
    for (const b of fetched) await cache?.put(b.digest, b.bytes);
    await cache?.setReferrers(
      digest,
      fetched.map((b) => b.digest),
      dockerReference(ref),
    );
    bundles = fetched.map((b) => b.bytes);
  }
  const parsed = bundles.flatMap((b) => {
    try {
      return [JSON.parse(Buffer.from(b).toString("utf8")) as unknown];
    } catch {
      return [];
    }
  });
  if (parsed.length === 0 && !trust.required) return undefined;
  if (trust.keys.length === 0) throw new OciError("UNTRUSTED_KEY", `${name} (${digest}): signatures are required but no key is trusted: add the publisher's public key with airlock trust add KEY.pub`);
  return verifyComponentSignature(parsed, { name, dockerReference: dockerReference(ref), digest }, trust.keys);
}
