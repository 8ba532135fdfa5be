// The checker's TypeScript source, tested natively in Node (the same code the component runs).
import dictionary from "dictionary-en";
import { describe, expect, it } from "vitest";
import { createChecker, RULES } from "../src/checker.js";

const check = createChecker(dictionary);
const rulesOf = (text: string) => check(text).map((i) => i.rule);

describe("grammar checker", () => {
  it("finds a repeated word and a wrong article, with exact positions", () => {
    const issues = check("This is is an test.");
    expect(issues).toEqual([
      {
        rule: "repeated-words",
        message: "Unexpected repeated `is`, remove one occurrence",
        severity: "error",
        start: { line: 1, column: 6, offset: 5 },
        end: { line: 1, column: 11, offset: 10 },
        actual: "is is",
        suggestions: ["is"],
      },
      expect.objectContaining({
        rule: "indefinite-article",
        start: { line: 1, column: 12, offset: 11 },
        end: { line: 1, column: 14, offset: 13 },
        actual: "an",
        suggestions: ["a"],
      }),
    ]);
  });

  it("counts lines and columns from 1 across line breaks", () => {
    const [issue] = check("Fine line.\nAnother another line.", { rules: ["repeated-words"] });
    expect(issue?.start).toEqual({ line: 2, column: 1, offset: 11 });
    expect(issue?.end).toEqual({ line: 2, column: 16, offset: 26 });
  });

  it("flags misspellings with dictionary suggestions, and respects ignore-words", () => {
    const issues = check("I recieved the package from Zorblax.", { rules: ["spelling"] });
    expect(issues.map((i) => i.actual)).toEqual(["recieved", "Zorblax"]);
    expect(issues[0]?.suggestions).toContain("received");
    expect(check("I recieved it from Zorblax.", { rules: ["spelling"], ignoreWords: ["zorblax"] }).map((i) => i.actual)).toEqual(["recieved"]);
  });

  it("suggests fixes one typo away, keeping a capital letter, and skips digits and quoted words", () => {
    const [teh, wierd] = check("Teh cat is wierd.", { rules: ["spelling"] });
    expect(teh?.suggestions[0]).toBe("The");
    expect(wierd?.suggestions).toContain("weird");
    expect(check("Call 555-0199 about 'zxqv'.", { rules: ["spelling"] })).toEqual([]);
  });

  it("catches missing apostrophes, sentence spacing, redundant acronyms and wordy phrases", () => {
    expect(rulesOf("I dont know.")).toContain("contractions");
    expect(rulesOf("One sentence.  Two sentences.")).toContain("sentence-spacing");
    expect(rulesOf("Find the nearest ATM machine.")).toContain("redundant-acronyms");
    const [simplify] = check("We utilize a hammer.", { rules: ["plain-language"] });
    expect(simplify).toMatchObject({ actual: "utilize", suggestions: ["use"], severity: "suggestion" });
  });

  it("checks quote style against the preferred one", () => {
    expect(check('He said "hi".', { rules: ["quotes"] })).toEqual([]);
    expect(check('He said "hi".', { rules: ["quotes"], quoteStyle: "smart" }).map((i) => i.actual)).toEqual(['"', '"']);
    expect(check("He said “hi”.", { rules: ["quotes"] }).length).toBe(2);
  });

  it("catches commonly confused words", () => {
    const issues = check("Their going to the store. You could of asked.", { rules: ["confused-words"] });
    expect(issues.map((i) => [i.actual, i.suggestions[0], i.start.offset])).toEqual([
      ["Their", "They're", 0],
      ["of", "have", 36],
    ]);
  });

  it("runs only the chosen rules and stops at max-issues, earliest first", () => {
    const text = "The the cat ate an pear. Their going home.";
    expect(new Set(rulesOf(text))).toEqual(new Set(["repeated-words", "indefinite-article", "confused-words"]));
    expect(check(text, { rules: ["indefinite-article"] }).map((i) => i.rule)).toEqual(["indefinite-article"]);
    expect(check(text, { rules: ["confused-words", "repeated-words"] }).map((i) => i.rule)).toEqual(["repeated-words", "confused-words"]);
    expect(check(text, { maxIssues: 1 }).map((i) => i.actual)).toEqual(["The the"]);
    expect(check(text, { maxIssues: 0 })).toEqual([]);
  });

  it("returns nothing for clean text and for empty text", () => {
    expect(check("The quick brown fox jumps over the lazy dog.")).toEqual([]);
    expect(check("")).toEqual([]);
  });

  it("knows every rule it declares", () => {
    expect(RULES).toHaveLength(9);
  });
});
