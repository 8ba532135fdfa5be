// Signatures attach to a manifest as OCI referrers (a manifest whose `subject` is the signed
// manifest). Registries without the referrers API (distribution 2.8, many hosted ones) get the
// OCI 1.1 fallback: an image index under the tag `sha256-<hex of the subject digest>`.
import { sha256Digest } from "./digest.js";
import { OciError } from "./errors.js";
import type { Reference } from "./reference.js";
import type { Descriptor, RegistryClient } from "./registry-client.js";
import { MEDIA_TYPES, validDescriptor, type ImageManifest } from "./wasm-artifact.js";

interface ImageIndex {
  schemaVersion: 2;
  mediaType: string;
  manifests: Descriptor[];
}

export const EMPTY_CONFIG = Buffer.from("{}");
const MAX_SIGNATURES = 16;
const MAX_BUNDLE_BYTES = 1024 * 1024;
/** All the signature bundles of one manifest together. */
const MAX_BUNDLES_BYTES = 4 * 1024 * 1024;

export function fallbackTag(subject: string): string {
  return subject.replace(":", "-");
}

/** The referrer descriptors listed under the fallback tag; none when the tag does not exist. */
export async function listReferrers(client: RegistryClient, ref: Reference, subject: string): Promise<Descriptor[]> {
  try {
    const { bytes } = await client.getManifest({ registry: ref.registry, repository: ref.repository, tag: fallbackTag(subject) });
    const index = parseJson(bytes) as Partial<ImageIndex> | undefined;
    return Array.isArray(index?.manifests) ? index.manifests.filter(validDescriptor) : [];
  } catch (error) {
    if (error instanceof OciError && error.code === "NOT_FOUND") return [];
    throw error;
  }
}

/** Pushes a referrer manifest with one layer and adds it to the fallback index. */
export async function attachReferrer(client: RegistryClient, ref: Reference, subject: Descriptor, layer: { bytes: Uint8Array; mediaType: string }, artifactType: string): Promise<string> {
  const config = await client.pushBlob(ref, EMPTY_CONFIG, MEDIA_TYPES.empty);
  const blob = await client.pushBlob(ref, layer.bytes, layer.mediaType);
  const manifest: ImageManifest = { schemaVersion: 2, mediaType: MEDIA_TYPES.manifest, artifactType, config, layers: [blob], subject };
  const bytes = Buffer.from(JSON.stringify(manifest));
  const digest = sha256Digest(bytes);
  await client.pushManifest(ref, digest, bytes, MEDIA_TYPES.manifest);
  const existing = (await listReferrers(client, ref, subject.digest)).filter((d) => d.digest !== digest);
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.index,
    manifests: [...existing, { mediaType: MEDIA_TYPES.manifest, digest, size: bytes.length, artifactType }],
  };
  await client.pushManifest(ref, fallbackTag(subject.digest), Buffer.from(JSON.stringify(index)), MEDIA_TYPES.index);
  return digest;
}

/** The sigstore bundles attached to `subject`, each with its blob digest. */
export async function fetchSignatureBundles(client: RegistryClient, ref: Reference, subject: string): Promise<{ digest: string; bytes: Uint8Array }[]> {
  const bundles: { digest: string; bytes: Uint8Array }[] = [];
  let total = 0;
  // A registry could list thousands: the first few signatures are enough to find a trusted one.
  const signatures = (await listReferrers(client, ref, subject)).filter((r) => r.artifactType === MEDIA_TYPES.sigstoreBundle).slice(0, MAX_SIGNATURES);
  for (const referrer of signatures) {
    const { bytes } = await client.getManifest({ registry: ref.registry, repository: ref.repository, digest: referrer.digest });
    const manifest = parseJson(bytes) as Partial<ImageManifest> | undefined;
    if (manifest?.subject?.digest !== subject || !Array.isArray(manifest.layers)) continue;
    // A signature referrer carries exactly one bundle, with a size: anything else is skipped unread.
    const layer = manifest.layers.length === 1 ? manifest.layers[0] : undefined;
    if (!validDescriptor(layer) || layer.mediaType !== MEDIA_TYPES.sigstoreBundle || layer.size > MAX_BUNDLE_BYTES) continue;
    if (total + layer.size > MAX_BUNDLES_BYTES) break;
    total += layer.size;
    bundles.push({ digest: layer.digest, bytes: await client.getBlob(ref, layer) });
  }
  return bundles;
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}
