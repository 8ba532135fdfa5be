// The component's exports. Their types come from wit/world.wit (generated into src/generated/ by
// every build), so tsc checks this file against the world. fetch() goes out through wasi:http,
// where the host lets through only the hosts the user granted. A WIT `result` error is thrown
// as its value, here the message string.
import type { Exports } from "./generated/world.js";
import { checkUrl, {{pascalFunction}}Error, summarize } from "./{{function}}.js";

export const {{camelFunction}}: Exports["{{camelFunction}}"] = async (url) => {
  try {
    const target = checkUrl(url);
    let response: Response;
    try {
      response = await fetch(target.href);
    } catch (error) {
      // fetch() says "NetworkError" for every failure; on a denial the host adds a line naming the
      // exact grant. To tell DNS, refused, timeout and TLS apart, send the request over
      // wasi:http/outgoing-handler yourself, as tools/fetcher/src/wasi-http.ts does.
      throw new {{pascalFunction}}Error(`could not fetch ${target.href}: ${((error as Error).message || String(error)).replace(/\s+/g, " ").trim().replace(/\.$/, "")}`);
    }
    return summarize(target.href, response.status, await response.text());
  } catch (error) {
    if (error instanceof {{pascalFunction}}Error) throw error.message;
    throw `the tool failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`;
  }
};
