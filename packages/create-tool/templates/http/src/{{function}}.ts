// The tool's logic in plain TypeScript: the unit tests run it natively in Node. The sample reads
// a page's title; replace it with what {{name}} does, and the WIT with its interface.
import type { PageSummary } from "./generated/world.js";

/** A failure the caller can act on: becomes the WIT error string. */
export class {{pascalFunction}}Error extends Error {
  override name = "{{pascalFunction}}Error";
}

export function checkUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new {{pascalFunction}}Error(`"${text}" is not a URL: give an absolute http:// or https:// URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new {{pascalFunction}}Error(`${url.protocol} URLs cannot be fetched: use http:// or https://`);
  return url;
}

/** The text of the first <title> element, with entities for &, <, >, " and ' decoded. */
export function titleOf(html: string): string | undefined {
  const match = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  if (!match) return undefined;
  const text = match[1]!.replace(/\s+/g, " ").trim();
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e]!) || undefined;
}

export function summarize(url: string, status: number, body: string): PageSummary {
  const title = titleOf(body);
  return { url, status, ...(title === undefined ? {} : { title }), length: body.length };
}
