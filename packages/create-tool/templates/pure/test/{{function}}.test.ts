import { describe, expect, it } from "vitest";
import { measureText, {{pascalFunction}}Error } from "../src/{{function}}.js";

describe("measureText", () => {
  it("counts words and characters", () => {
    expect(measureText("Hello, Ada!")).toEqual({ words: 2, characters: 11 });
  });

  it("trims the text and counts characters, not UTF-16 units", () => {
    expect(measureText("  Zoë 🙂 ")).toEqual({ words: 2, characters: 5 });
  });

  it("refuses an empty text with a message that says what to pass", () => {
    expect(() => measureText(" ")).toThrow({{pascalFunction}}Error);
    expect(() => measureText("")).toThrow("the text is empty");
  });
});
