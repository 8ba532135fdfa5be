// @airlock/oci: an OCI registry client for WebAssembly components. Everything exported here is
// public API.
export { Authenticator, parseChallenge, type Challenge } from "./auth.js";
export { BlobCache } from "./cache.js";
export { sha256Digest, verifyContent } from "./digest.js";
export { credentialsFor, dockerConfigPath, type Credentials } from "./docker-config.js";
export { OciError, remoteText, type OciErrorCode } from "./errors.js";
export { deadlineFor, DEFAULT_TIMEOUT_MS, readLimited, send, type Fetch, type HttpRequest, type Sent } from "./http.js";
export { publishComponent, type PublishInput, type Published } from "./publish.js";
export { pullComponent, type PullOptions, type PulledComponent, type TrustSettings } from "./pull.js";
export { formatReference, isDigest, parseReference, type Reference } from "./reference.js";
export { attachReferrer, fallbackTag, fetchSignatureBundles, listReferrers } from "./referrers.js";
export { MANIFEST_ACCEPT, RegistryClient, type Descriptor, type PulledManifest, type RegistryClientOptions } from "./registry-client.js";
export { dockerReference, keyFingerprint, readPublicKey, signaturePayload, signComponent, SIMPLE_SIGNING_TYPE, verifyComponentSignature, type SignedSubject, type TrustedKey } from "./signatures.js";
export { MEDIA_TYPES, readWasmManifest, wasmConfig, wasmManifest, type ImageManifest, type WasmConfig, type WasmLayers } from "./wasm-artifact.js";
