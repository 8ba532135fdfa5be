// The component's export: fetchPage over wasi:http, which goes out through the host's allowlist.
// Every failure becomes the WIT error string; a thrown object would make the engine abort.
import { fetchPage } from "./fetch-page.js";
import { FetchError } from "./readable.js";
import { get } from "./wasi-http.js";

export async function fetch(url: string, maxLength?: number, startIndex?: number, raw?: boolean) {
  try {
    return fetchPage(get, url, maxLength, startIndex, raw);
  } catch (error) {
    if (error instanceof FetchError) throw error.message;
    throw `the fetcher failed unexpectedly: ${error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ""}` : String(error)}`;
  }
}
