// URI templates from guests, matched without backtracking: forms, refusals, and the costly
// templates that freeze a backtracking regex.
import { describe, expect, it } from "vitest";
import { compileTemplate, matchesTemplate, MatchBudgetExceeded, newBudget, templateProblem } from "../../src/tools/uri-template.js";

const matches = (template: string, uri: string) => matchesTemplate(compileTemplate(template), uri);

describe("matchesTemplate", () => {
  it.each([
    ["test://template/{id}/data", "test://template/42/data", true],
    ["test://template/{id}/data", "test://template/4/2/data", false],
    ["test://template/{id}/data", "test://template//data", false],
    ["file:///{+path}", "file:///a/b/c.txt", true],
    ["file:///{+path}", "file:///", false],
    ["docs://{name}{#section}", "docs://intro#usage", true],
    ["docs://{name}{#section}", "docs://intro", false],
    ["weather://{city}/{day}", "weather://paris/monday", true],
    ["weather://{city}/{day}", "weather://paris/monday?x", false],
    ["fixed://no-variables", "fixed://no-variables", true],
    ["fixed://no-variables", "fixed://no-variables/", false],
    ["s:{a}{b}", "s:xy", true],
    ["s:{a}{b}", "s:x", false],
    ["s:{+a}x{b}", "s:1x/x2", true],
  ])("%s against %s: %s", (template, uri, expected) => {
    expect(matches(template, uri)).toBe(expected);
  });

  it("ReDoS: 24 variables and a literal against 32 characters answer at once", () => {
    const template = `x:${Array.from({ length: 24 }, (_, i) => `{v${i}}`).join("")}!`;
    const started = performance.now();
    expect(matches(template, `x:x${"a".repeat(32)}`)).toBe(false);
    expect(matches(template, `x:x${"a".repeat(4000)}!`)).toBe(true);
    expect(matches(template, `x:${"a".repeat(4000)}/!`)).toBe(false);
    // A backtracking regex takes minutes here; generous for a loaded machine.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("one read's matching work has a budget shared by all templates", () => {
    const costly = compileTemplate(`a:${Array.from({ length: 32 }, (_, i) => `{v${i}}`).join("")}${"a".repeat(200)}`);
    const budget = newBudget();
    expect(() => {
      for (let i = 0; i < 256; i++) matchesTemplate(costly, `a:${"a".repeat(8000)}`, budget);
    }).toThrow(MatchBudgetExceeded);
  });

  it("refuses URIs longer than the limit without matching them", () => {
    expect(matches("a:{+all}", `a:${"a".repeat(9000)}`)).toBe(false);
  });
});

describe("templateProblem", () => {
  it.each([
    ["s:{a,b}", "is not supported"],
    ["s:{?q}", "is not supported"],
    ["s:{a", 'has a "{" without a "}"'],
    ["s:a}", 'has a "}" without a "{"'],
    [`s:${"{v}".repeat(33)}`, "more than 32 expressions"],
    ["x".repeat(600), "at most 512 are allowed"],
    ["{+anything}", "must start with a literal scheme"],
    ["{scheme}://x", "must start with a literal scheme"],
  ])("%s: %s", (template, problem) => {
    expect(templateProblem(template)).toContain(problem);
  });

  it("accepts levels 1 and 2", () => {
    expect(templateProblem("test://{a}/{+b}{#c}")).toBeUndefined();
  });
});
