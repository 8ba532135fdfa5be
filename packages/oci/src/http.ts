// HTTP for the registry API: redirects are followed by hand so that credentials never reach
// another origin (blob downloads from real registries redirect to a CDN), and network failures
// become one clear error naming the registry.
import { OciError } from "./errors.js";

export type Fetch = typeof fetch;

const MAX_REDIRECTS = 5;

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** A buffer, never a stream: a request retried after a 401 sends it again. */
  body?: Uint8Array;
}

export interface Sent {
  response: Response;
  /** The URL that answered, after redirects: a 401 from another origin is not the registry's. */
  url: string;
}

/**
 * Sends a request, following redirects; `Authorization` is dropped when a redirect leaves the
 * origin, and a redirect from https to plain http is refused.
 */
export async function send(fetchImpl: Fetch, request: HttpRequest): Promise<Sent> {
  let { method, url, body } = request;
  let headers = { ...request.headers };
  const origin = new URL(url).origin;
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await fetchImpl(url, { method, headers, redirect: "manual", ...(body ? { body } : {}) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new OciError("UNREACHABLE", `cannot reach ${new URL(url).host} (${cause?.code ?? cause?.message ?? (error as Error).message}): check that the registry is running and the address is right`);
    }
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || response.status === 304 || !location || !isRedirectFollowed(method)) return { response, url };
    await response.body?.cancel();
    if (hop >= MAX_REDIRECTS) throw new OciError("REGISTRY_ERROR", `${request.url}: more than ${MAX_REDIRECTS} redirects: the registry is misconfigured`);
    const next = new URL(location, url);
    if (next.protocol !== "https:" && next.protocol !== "http:") throw new OciError("REGISTRY_ERROR", `${request.url}: redirect to ${next.protocol} refused`);
    if (new URL(url).protocol === "https:" && next.protocol === "http:") {
      throw new OciError("REGISTRY_ERROR", `${request.url}: redirect from https to plain http (${next.origin}) refused: the download must stay encrypted`);
    }
    if (response.status === 303) {
      method = "GET";
      body = undefined;
    }
    if (next.origin !== origin) headers = withoutAuthorization(headers);
    url = next.href;
  }
}

function isRedirectFollowed(method: string): boolean {
  return method === "GET" || method === "HEAD";
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== "authorization"));
}

/** Reads a body, refusing more than `limit` bytes (a registry must not fill the disk or memory). */
export async function readLimited(response: Response, limit: number, what: string): Promise<Uint8Array> {
  // A limit taken from a malformed descriptor (no size) must not turn into "no limit".
  if (typeof limit !== "number" || !Number.isFinite(limit) || limit < 0) {
    await response.body?.cancel();
    throw new OciError("BAD_MANIFEST", `${what}: no valid size to read it against (${String(limit)}): the artifact is broken`);
  }
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > limit) {
    await response.body?.cancel();
    throw new OciError("SIZE_MISMATCH", `${what}: the registry sends ${declared} bytes, more than the ${limit} expected: the artifact is corrupt or was tampered with`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body) {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.length;
      if (total > limit) {
        throw new OciError("SIZE_MISMATCH", `${what}: the registry sent more than the ${limit} bytes expected: the artifact is corrupt or was tampered with`);
      }
      chunks.push(chunk);
    }
  }
  return Buffer.concat(chunks, total);
}
