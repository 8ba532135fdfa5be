// Fetching a page: redirects are followed here, one request per hop, so that the host checks
// every hop against the granted hosts.
import { charsetOf, decode, FetchError, isText, mediaType, readable } from "./readable.js";
import type { HttpResponse } from "./wasi-http.js";

export const MAX_REDIRECTS = 5;
export const DEFAULT_MAX_LENGTH = 5000;
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface Page {
  url: string;
  status: number;
  contentType: string;
  content: string;
  totalLength: number;
  nextStartIndex?: number;
}

/**
 * One GET, redirects not followed; a failure throws a FetchError that says what went wrong. The
 * component's is synchronous (wasi:http blocks); the native benchmark's baseline awaits fetch().
 */
export type Get = (url: URL, headers: Record<string, string>) => HttpResponse | Promise<HttpResponse>;

/** wasi:http carries no reason phrase: the usual ones, for a readable error. */
const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  408: "Request Timeout",
  410: "Gone",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

const HEADERS = { "user-agent": "airlock-fetcher/0.1", accept: "text/html, text/*;q=0.9, application/json;q=0.9, */*;q=0.1" };

export async function fetchPage(get: Get, rawUrl: string, maxLength = DEFAULT_MAX_LENGTH, startIndex = 0, raw = false): Promise<Page> {
  let url = parseUrl(rawUrl);
  let response: HttpResponse;
  for (let hop = 0; ; hop++) {
    response = await get(url, HEADERS);
    const location = response.header("location");
    if (response.status < 300 || response.status >= 400 || !location) break;
    if (hop >= MAX_REDIRECTS) throw new FetchError(`more than ${MAX_REDIRECTS} redirects, the last to ${location}`);
    url = parseUrl(new URL(location, url).href);
  }
  if (response.status >= 400) throw new FetchError(`${url.href} answered HTTP ${response.status}${REASONS[response.status] ? ` ${REASONS[response.status]}` : ""}`);
  const contentType = response.header("content-type") ?? "";
  const type = mediaType(contentType);
  if (!isText(type)) throw new FetchError(`${url.href} is ${type}, not text: only HTML, JSON, XML and other text can be fetched`);
  const bytes = await response.body(MAX_BODY_BYTES);
  if (!bytes) throw new FetchError(`${url.href} is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`);
  const content = readable(decode(bytes, charsetOf(contentType)), type, raw);
  if (startIndex >= content.length && content.length > 0) throw new FetchError(`start-index ${startIndex} is past the end of the content (${content.length} characters)`);
  const slice = content.slice(startIndex, startIndex + maxLength);
  const end = startIndex + slice.length;
  return { url: url.href, status: response.status, contentType: type, content: slice, totalLength: content.length, ...(end < content.length ? { nextStartIndex: end } : {}) };
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FetchError(`"${text}" is not a URL: give an absolute http:// or https:// URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new FetchError(`${url.protocol} URLs cannot be fetched: use http:// or https://`);
  return url;
}
