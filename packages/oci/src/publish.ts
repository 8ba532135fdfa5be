// Publishing a component: blobs first (component, WIT, requested policy, config), then the
// manifest under the tag, then, when a key is given, a sigstore bundle as a referrer.
import { sha256Digest } from "./digest.js";
import { formatReference, type Reference } from "./reference.js";
import { attachReferrer } from "./referrers.js";
import type { Descriptor, RegistryClient } from "./registry-client.js";
import { signComponent } from "./signatures.js";
import { MEDIA_TYPES, wasmConfig, wasmManifest, type WasmConfig } from "./wasm-artifact.js";

export interface PublishInput {
  component: Uint8Array;
  /** Imports and exports, for the config blob. */
  describe: WasmConfig["component"];
  wit?: string;
  /** Policy YAML: the permissions the component requests (never granted by publishing). */
  policy?: string;
  signingKey?: { pem: string; name: string };
  annotations?: Record<string, string>;
}

export interface Published {
  reference: string;
  digest: string;
  size: number;
  signature?: string;
}

export async function publishComponent(client: RegistryClient, ref: Reference, input: PublishInput): Promise<Published> {
  if (!ref.tag || ref.digest) throw new Error(`${formatReference(ref)}: publish to a tag (oci://registry/repo:tag), not a digest`);
  const layers: Descriptor[] = [await client.pushBlob(ref, input.component, MEDIA_TYPES.wasmLayer)];
  if (input.wit !== undefined) layers.push(await client.pushBlob(ref, Buffer.from(input.wit), MEDIA_TYPES.wit));
  if (input.policy !== undefined) layers.push(await client.pushBlob(ref, Buffer.from(input.policy), MEDIA_TYPES.policy));
  const config = Buffer.from(JSON.stringify(wasmConfig(layers[0]!.digest, input.describe)));
  const configDescriptor = await client.pushBlob(ref, config, MEDIA_TYPES.wasmConfig);
  const manifest = Buffer.from(JSON.stringify(wasmManifest(configDescriptor, layers, input.annotations)));
  const digest = await client.pushManifest(ref, ref.tag, manifest, MEDIA_TYPES.manifest);
  const published: Published = { reference: formatReference(ref), digest, size: manifest.length };
  if (input.signingKey) {
    const subject = { mediaType: MEDIA_TYPES.manifest, digest: sha256Digest(manifest), size: manifest.length };
    const bundle = await signComponent(ref, subject.digest, input.signingKey.pem, input.signingKey.name);
    published.signature = await attachReferrer(client, ref, subject, { bytes: Buffer.from(JSON.stringify(bundle)), mediaType: MEDIA_TYPES.sigstoreBundle }, MEDIA_TYPES.sigstoreBundle);
  }
  return published;
}
