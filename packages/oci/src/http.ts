// HTTP for the registry API: redirects are followed by hand so that credentials never reach
// another origin (blob downloads from real registries redirect to a CDN), every exchange has a
// deadline (body included), and network failures become one clear error naming the registry.
import { OciError } from "./errors.js";

export type Fetch = typeof fetch;

const MAX_REDIRECTS = 5;
/** The deadline of a manifest, token or other small exchange, body included. */
export const DEFAULT_TIMEOUT_MS = 60_000;
/** The slowest link a blob download is given time for. */
const SLOWEST_BYTES_PER_SECOND = 256 * 1024;

/** A deadline for moving `bytes`: `base` plus one second per 256 KiB, so a large blob on a slow link still gets through. */
export function deadlineFor(bytes: number, base = DEFAULT_TIMEOUT_MS): number {
  return base + Math.ceil(bytes / SLOWEST_BYTES_PER_SECOND) * 1000;
}

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** A buffer, never a stream: a request retried after a 401 sends it again. */
  body?: Uint8Array;
  /** The whole exchange, redirects and body included, must end within this; default 60 s. */
  timeoutMs?: number;
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
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // One deadline for every hop and for reading the body: a server that trickles cannot hold a load forever.
  const signal = AbortSignal.timeout(timeoutMs);
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await fetchImpl(url, { method, headers, redirect: "manual", signal, ...(body ? { body } : {}) });
    } catch (error) {
      if (signal.aborted || isAbort(error)) {
        throw new OciError("TIMED_OUT", `${new URL(url).host} timed out: no answer within ${timeoutMs / 1000} s: the server or the network is stuck or too slow; try again later`);
      }
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new OciError(
        "UNREACHABLE",
        `cannot reach ${new URL(url).host} (${cause?.code ?? cause?.message ?? (error as Error).message}): check that the registry is running and the address is right`,
      );
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

function isAbort(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name === "TimeoutError" || name === "AbortError";
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
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        total += chunk.length;
        if (total > limit) {
          throw new OciError("SIZE_MISMATCH", `${what}: the registry sent more than the ${limit} bytes expected: the artifact is corrupt or was tampered with`);
        }
        chunks.push(chunk);
      }
    } catch (error) {
      if (error instanceof OciError) throw error;
      if (isAbort(error)) throw new OciError("TIMED_OUT", `${what}: timed out while downloading (after ${total} bytes): the server or the network is stuck or too slow; try again later`);
      throw new OciError("UNREACHABLE", `${what}: the connection broke while downloading (after ${total} bytes): try again`);
    }
  }
  return Buffer.concat(chunks, total);
}
