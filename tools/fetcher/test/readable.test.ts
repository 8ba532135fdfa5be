import { describe, expect, it } from "vitest";
import { charsetOf, decode, htmlToMarkdown, isText, mediaType, readable } from "../src/readable.js";

describe("readable content", () => {
  it("turns an HTML page's main content into Markdown, without navigation or scripts", () => {
    const html = "<html><head><title>Hello</title></head><body><nav>menu</nav><main><h1>Title</h1><p>Some <b>bold</b> text.</p></main><script>x()</script></body></html>";
    expect(htmlToMarkdown(html)).toBe("# Hello\n\n# Title\n\nSome **bold** text.");
  });

  it("pretty-prints JSON and leaves plain text alone", () => {
    expect(readable('{"a":[1]}', "application/json", false)).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(readable("plain  text", "text/plain", false)).toBe("plain  text");
  });

  it("knows text from binary media types", () => {
    expect(isText("text/html")).toBe(true);
    expect(isText("application/vnd.api+json")).toBe(true);
    expect(isText("image/png")).toBe(false);
    expect(mediaType("Text/HTML; charset=UTF-8")).toBe("text/html");
  });

  it("decodes Latin-1 pages by their charset", () => {
    expect(charsetOf("text/plain; charset=ISO-8859-1")).toBe("iso-8859-1");
    expect(decode(Uint8Array.of(0x63, 0x61, 0x66, 0xe9), "iso-8859-1")).toBe("café");
  });
});
