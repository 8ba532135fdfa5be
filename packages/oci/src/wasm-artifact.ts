// The CNCF TAG Runtime layout of a Wasm component as an OCI artifact: an image manifest with
// config `application/vnd.wasm.config.v0+json` and one `application/wasm` layer, plus Airlock's
// optional WIT and requested-policy layers. Pulled manifests are checked before any blob is fetched.
import { OciError } from "./errors.js";
import { isDigest } from "./reference.js";
import type { Descriptor } from "./registry-client.js";

export const MEDIA_TYPES = {
  manifest: "application/vnd.oci.image.manifest.v1+json",
  index: "application/vnd.oci.image.index.v1+json",
  wasmConfig: "application/vnd.wasm.config.v0+json",
  wasmLayer: "application/wasm",
  wit: "application/vnd.airlock.component.wit.v1+text",
  policy: "application/vnd.airlock.policy.v1+yaml",
  empty: "application/vnd.oci.empty.v1+json",
  sigstoreBundle: "application/vnd.dev.sigstore.bundle.v0.3+json",
} as const;

export interface WasmConfig {
  created: string;
  author?: string;
  architecture: "wasm";
  os: "wasip2";
  layerDigests: string[];
  component: { exports: string[]; imports: string[]; target?: string };
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface WasmLayers {
  component: Descriptor;
  wit?: Descriptor;
  policy?: Descriptor;
}

export function wasmConfig(layerDigest: string, component: WasmConfig["component"], created = new Date().toISOString()): WasmConfig {
  return { created, architecture: "wasm", os: "wasip2", layerDigests: [layerDigest], component };
}

export function wasmManifest(config: Descriptor, layers: Descriptor[], annotations: Record<string, string> = {}): ImageManifest {
  return { schemaVersion: 2, mediaType: MEDIA_TYPES.manifest, artifactType: MEDIA_TYPES.wasmConfig, config, layers, ...(Object.keys(annotations).length ? { annotations } : {}) };
}

/** Parses manifest bytes and checks that they describe a Wasm component; `name` is the reference, for errors. */
export function readWasmManifest(bytes: Uint8Array, name: string): { manifest: ImageManifest; layers: WasmLayers } {
  let manifest: ImageManifest;
  try {
    manifest = JSON.parse(Buffer.from(bytes).toString("utf8")) as ImageManifest;
  } catch {
    throw new OciError("BAD_MANIFEST", `${name}: the manifest is not JSON: the registry or the artifact is broken`);
  }
  const notComponent = (what: string) =>
    new OciError("NOT_A_COMPONENT", `${name} is not a Wasm component: ${what}: publish it with airlock publish (config ${MEDIA_TYPES.wasmConfig}, layer ${MEDIA_TYPES.wasmLayer})`);
  if (manifest.mediaType === MEDIA_TYPES.index) throw notComponent("it is an image index (a multi-platform container image?)");
  if (manifest.schemaVersion !== 2 || (manifest.mediaType !== undefined && manifest.mediaType !== MEDIA_TYPES.manifest)) {
    throw notComponent(`manifest media type ${String(manifest.mediaType)}`);
  }
  if (!validDescriptor(manifest.config) || !Array.isArray(manifest.layers) || !manifest.layers.every(validDescriptor)) {
    throw new OciError("BAD_MANIFEST", `${name}: the manifest has a malformed descriptor (digest, size or media type): the artifact is broken`);
  }
  if (manifest.config.mediaType !== MEDIA_TYPES.wasmConfig) throw notComponent(`config media type ${manifest.config.mediaType} (a container image?)`);
  const wasm = manifest.layers.filter((l) => l.mediaType === MEDIA_TYPES.wasmLayer);
  if (wasm.length !== 1) throw notComponent(`${wasm.length} layers of type ${MEDIA_TYPES.wasmLayer}, expected exactly 1`);
  const wit = manifest.layers.find((l) => l.mediaType === MEDIA_TYPES.wit);
  const policy = manifest.layers.find((l) => l.mediaType === MEDIA_TYPES.policy);
  return { manifest, layers: { component: wasm[0]!, ...(wit ? { wit } : {}), ...(policy ? { policy } : {}) } };
}

/** A descriptor with a media type, a sha256 digest and a whole, non-negative size. */
export function validDescriptor(d: Descriptor | undefined): d is Descriptor {
  return !!d && typeof d.mediaType === "string" && typeof d.digest === "string" && isDigest(d.digest) && Number.isSafeInteger(d.size) && d.size >= 0;
}
