// The component's export: fetchPage over wasi:http, which goes out through the host's allowlist.
// Every failure becomes the WIT error string; a thrown object would make the engine abort. The
// export's type comes from wit/world.wit (generated into src/generated/ by every build).
import { fetchPage } from "./fetch-page.js";
import type { Exports } from "./generated/world.js";
import { FetchError } from "./readable.js";
import { get } from "./wasi-http.js";

export const fetch: Exports["fetch"] = async (url, maxLength, startIndex, raw) => {
  try {
    return await fetchPage(get, url, maxLength, startIndex, raw);
  } catch (error) {
    if (error instanceof FetchError) throw error.message;
    throw `the fetcher failed unexpectedly: ${error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ""}` : String(error)}`;
  }
};
