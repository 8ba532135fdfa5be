// The registry API v2 over fetch: manifests and blobs, pulled with size and digest checks and
// pushed with a POST then PUT (a single-request upload creates no blob on distribution 2.8).
import { Authenticator } from "./auth.js";
import { sha256Digest, verifyContent } from "./digest.js";
import { credentialsFor, dockerConfigPath, type Credentials } from "./docker-config.js";
import { OciError, remoteText } from "./errors.js";
import { deadlineFor, DEFAULT_TIMEOUT_MS, readLimited, send, type Fetch } from "./http.js";
import { formatReference, manifestSelector, type Reference } from "./reference.js";

export const MANIFEST_ACCEPT = "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json";
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** An error body is read for its message only: the rest is dropped, not buffered. */
export const MAX_ERROR_BYTES = 64 * 1024;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  artifactType?: string;
}

export interface RegistryClientOptions {
  fetch?: Fetch;
  /** Where credentials come from; default: the Docker config. */
  credentials?: (registry: string) => Promise<Credentials | undefined>;
  /** Registries spoken to over plain http; default: loopback hosts only. */
  plainHttp?: (registry: string) => boolean;
  /**
   * The deadline of one manifest or token exchange, body included; default 60 s. Blob transfers
   * get this plus one second per 256 KiB.
   */
  timeoutMs?: number;
  /** Called before every request, for tests and benchmarks that count them. */
  onRequest?: (method: string, url: string) => void;
}

export interface PulledManifest {
  bytes: Uint8Array;
  digest: string;
  mediaType: string;
}

const isLoopback = (registry: string) => /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(registry);

export class RegistryClient {
  private readonly fetchImpl: Fetch;
  private readonly auth: Authenticator;
  private readonly plainHttp: (registry: string) => boolean;
  private readonly timeoutMs: number;

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.fetchImpl = options.fetch ?? fetch;
    const configPath = dockerConfigPath();
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.auth = new Authenticator(this.fetchImpl, options.credentials ?? ((r) => credentialsFor(r, configPath)), options.credentials ? "the configured credentials" : configPath, this.timeoutMs);
    this.plainHttp = options.plainHttp ?? isLoopback;
  }

  /** The manifest a reference names; its digest is checked against the pin, or against Docker-Content-Digest. */
  async getManifest(ref: Reference): Promise<PulledManifest> {
    const name = formatReference(ref);
    const response = await this.request(ref, "pull", "GET", `manifests/${manifestSelector(ref)}`, { accept: MANIFEST_ACCEPT });
    if (!response.ok) throw await this.failure(response, name, "check the tag with skopeo list-tags or publish it first");
    const bytes = await readLimited(response, MAX_MANIFEST_BYTES, `${name}: manifest`);
    const digest = ref.digest ?? sha256Digest(bytes);
    verifyContent(bytes, { digest }, `${name}: manifest`);
    const announced = response.headers.get("docker-content-digest");
    if (!ref.digest && announced && announced !== digest) {
      throw new OciError("DIGEST_MISMATCH", `${name}: manifest digest mismatch: the registry says ${remoteText(announced, 80)}, the content is ${digest}: do not use it`);
    }
    return { bytes, digest, mediaType: response.headers.get("content-type") ?? "" };
  }

  /** A blob, checked against the descriptor's size and digest. */
  async getBlob(ref: Reference, descriptor: Descriptor): Promise<Uint8Array> {
    const what = `${formatReference(ref)}: blob ${descriptor.digest}`;
    const response = await this.request(ref, "pull", "GET", `blobs/${descriptor.digest}`, {}, undefined, descriptor.size);
    if (!response.ok) throw await this.failure(response, what, "the artifact is incomplete: publish it again");
    const bytes = await readLimited(response, descriptor.size, what);
    verifyContent(bytes, descriptor, what);
    return bytes;
  }

  async hasBlob(ref: Reference, digest: string): Promise<boolean> {
    const response = await this.request(ref, "pull,push", "HEAD", `blobs/${digest}`, {});
    return response.ok;
  }

  /** Uploads a blob unless the registry has it; returns its descriptor. */
  async pushBlob(ref: Reference, bytes: Uint8Array, mediaType: string): Promise<Descriptor> {
    const digest = sha256Digest(bytes);
    const descriptor = { mediaType, digest, size: bytes.length };
    if (await this.hasBlob(ref, digest)) return descriptor;
    const name = formatReference(ref);
    const started = await this.request(ref, "pull,push", "POST", "blobs/uploads/", {});
    await started.body?.cancel();
    const location = started.headers.get("location");
    if (started.status !== 202 || !location) throw await this.failure(started, name, "check that the registry accepts pushes");
    const url = new URL(location, this.base(ref));
    url.searchParams.set("digest", digest);
    const put = await this.request(ref, "pull,push", "PUT", url.href, { "content-type": "application/octet-stream" }, bytes);
    if (put.status !== 201) throw await this.failure(put, `${name}: blob ${digest}`, "the upload failed: try again");
    await put.body?.cancel();
    return descriptor;
  }

  /** Stores a manifest under a tag (or its digest); returns the digest. */
  async pushManifest(ref: Reference, selector: string, bytes: Uint8Array, mediaType: string): Promise<string> {
    const response = await this.request(ref, "pull,push", "PUT", `manifests/${selector}`, { "content-type": mediaType }, bytes);
    if (response.status !== 201) throw await this.failure(response, formatReference(ref), "the registry refused the manifest");
    await response.body?.cancel();
    return sha256Digest(bytes);
  }

  private base(ref: Reference): string {
    return `${this.plainHttp(ref.registry) ? "http" : "https"}://${ref.registry}/v2/${ref.repository}/`;
  }

  /** `expectedBytes`: the size of the body to download, for its deadline. */
  private async request(ref: Reference, actions: string, method: string, path: string, headers: Record<string, string>, body?: Uint8Array, expectedBytes = 0): Promise<Response> {
    const url = /^https?:/.test(path) ? path : this.base(ref) + path;
    const timeoutMs = deadlineFor(Math.max(expectedBytes, body?.length ?? 0), this.timeoutMs);
    const scope = `repository:${ref.repository}:${actions}`;
    // An upload Location on another origin gets no credentials, like a redirect.
    const origin = new URL(this.base(ref)).origin;
    if (new URL(url).origin !== origin) {
      return (await send(this.fetchImpl, { method, url, headers, timeoutMs, ...(body ? { body } : {}) })).response;
    }
    let authorization = this.auth.cached(ref.registry, scope);
    for (let attempt = 0; ; attempt++) {
      this.options.onRequest?.(method, url);
      const sent = await send(this.fetchImpl, { method, url, headers: { ...headers, ...(authorization ? { authorization } : {}) }, timeoutMs, ...(body ? { body } : {}) });
      const response = sent.response;
      if (response.status !== 401) return response;
      await response.body?.cancel();
      // Only the registry itself may ask for its credentials: a 401 from the server a redirect
      // led to (a CDN, or whoever controls it) would otherwise receive them through its own realm.
      const answered = new URL(sent.url).origin;
      if (answered !== origin) {
        throw new OciError(
          "AUTH_FAILED",
          `${formatReference(ref)}: ${ref.registry} redirected to ${answered}, which asks for authentication (401): credentials are sent only to the registry itself; the registry or its storage is misconfigured`,
        );
      }
      // A second 401 makes `answer` throw: the credentials or the token were refused.
      const next = await this.auth.answer(ref.registry, scope, response, authorization);
      if (attempt > 0 && next === authorization) throw await this.failure(response, ref.registry, "");
      authorization = next;
      if (attempt > 1) throw await this.failure(response, ref.registry, "");
    }
  }

  private async failure(response: Response, what: string, advice: string): Promise<OciError> {
    const bytes = await readLimited(response, MAX_ERROR_BYTES, `${what}: error`).catch(() => new Uint8Array());
    const text = Buffer.from(bytes).toString("utf8");
    let code = "";
    let message = "";
    try {
      const first = (JSON.parse(text) as { errors?: { code?: string; message?: string }[] }).errors?.[0];
      const rawCode = typeof first?.code === "string" ? first.code : "";
      code = /^[A-Za-z0-9_]{0,64}$/.test(rawCode) ? rawCode : remoteText(rawCode, 64);
      message = typeof first?.message === "string" && first.message ? remoteText(first.message) : "";
    } catch {
      // not JSON: the status says enough
    }
    const detail = code ? ` (${code})` : ` (${response.status})`;
    if (response.status === 401 || response.status === 403) {
      return new OciError("AUTH_FAILED", `authentication failed for ${what} (${response.status}${code ? ` ${code}` : ""}): check the credentials in ${dockerConfigPath()} (docker login)`);
    }
    if (response.status === 404) return new OciError("NOT_FOUND", `${what}: not found${detail}: ${advice}`);
    return new OciError("REGISTRY_ERROR", `${what}: the registry answered ${response.status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""}${advice ? `: ${advice}` : ""}`);
  }
}
