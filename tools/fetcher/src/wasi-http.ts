// GET over wasi:http itself rather than the engine's fetch(): fetch() turns every failure into
// "NetworkError", while the host's error-code says whether the request was denied, the name did
// not resolve, the connection was refused, timed out or failed TLS.
import { handle } from "wasi:http/outgoing-handler@0.2.12";
import { Fields, OutgoingBody, OutgoingRequest, RequestOptions, type ErrorCode, type IncomingResponse } from "wasi:http/types@0.2.12";
import { describeRequestFailure } from "./request-failure.js";
import { FetchError } from "./readable.js";

const SECOND = 1_000_000_000n;
const CHUNK = 64n * 1024n;

export interface HttpResponse {
  status: number;
  header(name: string): string | undefined;
  /** The body, or undefined when it is longer than `maxBytes`. */
  body(maxBytes: number): Uint8Array | undefined | Promise<Uint8Array | undefined>;
}

/** A thrown WIT error: componentize-js throws the value, some versions wrapped in `payload`. */
function errorCodeOf(error: unknown): ErrorCode {
  const value = (error as { payload?: unknown })?.payload ?? error;
  return value && typeof value === "object" && "tag" in value ? (value as ErrorCode) : { tag: "internal-error", val: String(value) };
}

export function get(url: URL, headers: Record<string, string>): HttpResponse {
  const encoder = new TextEncoder();
  const request = new OutgoingRequest(Fields.fromList(Object.entries(headers).map(([k, v]) => [k, encoder.encode(v)])));
  request.setMethod({ tag: "get" });
  request.setScheme(url.protocol === "https:" ? { tag: "HTTPS" } : { tag: "HTTP" });
  request.setAuthority(url.host);
  request.setPathWithQuery(`${url.pathname}${url.search}`);
  // A GET has no body: finish it so the request is complete.
  OutgoingBody.finish(request.body(), undefined);
  const options = new RequestOptions();
  options.setConnectTimeout(10n * SECOND);
  options.setFirstByteTimeout(20n * SECOND);
  let response: IncomingResponse;
  try {
    const future = handle(request, options);
    future.subscribe().block();
    const result = future.get();
    if (!result || result.tag === "err") throw { tag: "internal-error", val: "the response was already taken" };
    if (result.val.tag === "err") throw result.val.val;
    response = result.val.val;
  } catch (error) {
    throw new FetchError(describeRequestFailure(url, errorCodeOf(error)));
  }
  return wrap(url, response);
}

function wrap(url: URL, response: IncomingResponse): HttpResponse {
  const decoder = new TextDecoder();
  const headers = new Map<string, string>();
  for (const [name, value] of response.headers().entries()) {
    const key = name.toLowerCase();
    headers.set(key, headers.has(key) ? `${headers.get(key)}, ${decoder.decode(value)}` : decoder.decode(value));
  }
  return {
    status: response.status(),
    header: (name) => headers.get(name.toLowerCase()),
    body(maxBytes) {
      const stream = response.consume().stream();
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        let chunk: Uint8Array;
        try {
          chunk = stream.blockingRead(CHUNK);
        } catch (error) {
          const code = errorCodeOf(error);
          if (code.tag === "closed") break;
          throw new FetchError(`reading the body from ${url.host} failed: ${code.tag}${code.val ? ` (${JSON.stringify(code.val)})` : ""}`);
        }
        total += chunk.length;
        if (total > maxBytes) return undefined;
        chunks.push(chunk);
      }
      const out = new Uint8Array(total);
      let offset = 0;
      for (const chunk of chunks) {
        out.set(chunk, offset);
        offset += chunk.length;
      }
      return out;
    },
  };
}
