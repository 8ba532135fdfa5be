// Fetching a page: redirects are followed here, one request per hop, so that the host checks
// every hop against the granted hosts.
import { charsetOf, decode, FetchError, isText, mediaType, readable } from "./readable.js";

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

export type Fetch = (url: string, init: { redirect: "manual"; headers: Record<string, string> }) => Promise<Response>;

export async function fetchPage(fetchImpl: Fetch, rawUrl: string, maxLength = DEFAULT_MAX_LENGTH, startIndex = 0, raw = false): Promise<Page> {
  let url = parseUrl(rawUrl);
  let response: Response | undefined;
  for (let hop = 0; ; hop++) {
    try {
      response = await fetchImpl(url.href, { redirect: "manual", headers: { "user-agent": "airlock-fetcher/0.1", accept: "text/html, text/*;q=0.9, application/json;q=0.9, */*;q=0.1" } });
    } catch (error) {
      throw new FetchError(`could not fetch ${url.href}: ${((error as Error).message || String(error)).replace(/\s+/g, " ").trim().replace(/\.$/, "")}. If the host is not granted, ask the user to grant it (grant-network-permission with details {"host": "${url.host}"})`);
    }
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || !location) break;
    if (hop >= MAX_REDIRECTS) throw new FetchError(`more than ${MAX_REDIRECTS} redirects, the last to ${location}`);
    url = parseUrl(new URL(location, url).href);
  }
  if (response.status >= 400) throw new FetchError(`${url.href} answered HTTP ${response.status} ${response.statusText}`.trim());
  const contentType = response.headers.get("content-type") ?? "";
  const type = mediaType(contentType);
  if (!isText(type)) throw new FetchError(`${url.href} is ${type}, not text: only HTML, JSON, XML and other text can be fetched`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_BODY_BYTES) throw new FetchError(`${url.href} is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`);
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
