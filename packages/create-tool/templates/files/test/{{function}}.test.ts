import { describe, expect, it } from "vitest";
import { countText } from "../src/{{function}}.js";

describe("countText", () => {
  it("counts lines, words and characters", () => {
    expect(countText("one two\nthree four five\n")).toEqual({ lines: 2, words: 5, characters: 24 });
  });

  it("counts a last line without a newline", () => {
    expect(countText("a\nb")).toEqual({ lines: 2, words: 2, characters: 3 });
  });

  it("counts nothing in an empty file", () => {
    expect(countText("")).toEqual({ lines: 0, words: 0, characters: 0 });
  });

  it("counts characters as code points", () => {
    expect(countText("Zoë 🙂").characters).toBe(5);
  });
});
