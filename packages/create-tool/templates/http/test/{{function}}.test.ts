import { describe, expect, it } from "vitest";
import { checkUrl, {{pascalFunction}}Error, summarize, titleOf } from "../src/{{function}}.js";

describe("titleOf", () => {
  it("reads the first title and decodes entities", () => {
    expect(titleOf("<html><head><title> Tom &amp; Jerry\n</title></head></html>")).toBe("Tom & Jerry");
  });

  it("is undefined for a page without a title", () => {
    expect(titleOf("<p>no title</p>")).toBeUndefined();
  });
});

describe("summarize", () => {
  it("leaves the title out when there is none", () => {
    expect(summarize("http://x/", 200, "hi")).toEqual({ url: "http://x/", status: 200, length: 2 });
  });
});

describe("checkUrl", () => {
  it("refuses what is not an http(s) URL, saying what to give", () => {
    expect(() => checkUrl("example.com")).toThrow({{pascalFunction}}Error);
    expect(() => checkUrl("file:///etc/passwd")).toThrow("use http:// or https://");
  });
});
