// A response body as readable text: HTML's main content as Markdown, JSON pretty-printed, other
// text as is. Binary content is refused.
import { NodeHtmlMarkdown } from "node-html-markdown";
import { parse } from "node-html-parser";

export class FetchError extends Error {
  override name = "FetchError";
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|xhtml\+xml|javascript|ld\+json|.*\+json|.*\+xml)$)/;
const NOISE = "script, style, noscript, nav, header, footer, aside, form, svg, iframe, template";
const converter = new NodeHtmlMarkdown({ ignore: ["script", "style"] });

export function mediaType(contentType: string): string {
  return (contentType.split(";")[0] ?? "").trim().toLowerCase() || "application/octet-stream";
}

export function charsetOf(contentType: string): string {
  return /charset="?([\w-]+)"?/i.exec(contentType)?.[1]?.toLowerCase() ?? "utf-8";
}

export function isText(type: string): boolean {
  return TEXT_TYPES.test(type);
}

export function decode(bytes: Uint8Array, charset: string): string {
  if (charset === "utf-8" || charset === "utf8") return new TextDecoder("utf-8").decode(bytes);
  if (charset === "iso-8859-1" || charset === "latin1" || charset === "windows-1252" || charset === "us-ascii") {
    // Latin-1 maps each byte to the code point of the same number.
    let out = "";
    for (const byte of bytes) out += String.fromCharCode(byte);
    return out;
  }
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

export function readable(body: string, type: string, raw: boolean): string {
  if (type === "text/html" || type === "application/xhtml+xml") return raw ? body : htmlToMarkdown(body);
  if (type === "application/json" || type.endsWith("+json")) {
    try {
      return JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      return body;
    }
  }
  return body;
}

/** The page's main content (main, article or body, without navigation and scripts) as Markdown. */
export function htmlToMarkdown(html: string): string {
  const root = parse(html);
  const title = root.querySelector("title")?.text.trim();
  const main = root.querySelector("main") ?? root.querySelector("article") ?? root.querySelector("body") ?? root;
  for (const node of main.querySelectorAll(NOISE)) node.remove();
  const markdown = converter.translate(main.innerHTML).trim();
  return title && !markdown.startsWith(`# ${title}`) ? `# ${title}\n\n${markdown}` : markdown;
}
