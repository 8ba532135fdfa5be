// Result matching: exact, subset, errors and denials, with the first difference named.
import { describe, expect, it } from "vitest";
import { differs, meets, missingFrom } from "../src/expectations.js";
import type { Outcome } from "../src/outcome.js";

const ok = (result: unknown): Outcome => ({ kind: "ok", text: "", result, denied: [] });

describe("differs", () => {
  it("finds the first difference by JSON path", () => {
    expect(differs({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] }, "")).toBe("at /a/1/b: expected 2, received 3");
    expect(differs([1], [1, 2], "")).toBe("at /: expected 1 items, received 2");
    expect(differs({ a: 1 }, { a: 1, b: 2 }, "")).toBe("at /b: expected nothing, received 2");
    expect(differs({ a: null }, { a: null }, "")).toBeUndefined();
  });
});

describe("missingFrom", () => {
  it("matches objects by subset, lists in any order, texts by containment", () => {
    expect(
      missingFrom(
        [{ r: "x" }, { r: "y" }],
        [
          { r: "y", n: 1 },
          { r: "x", n: 2 },
        ],
        "",
      ),
    ).toBeUndefined();
    expect(missingFrom({ content: "two" }, { content: "one two three" }, "")).toBeUndefined();
    expect(missingFrom([{ r: "x" }, { r: "x" }], [{ r: "x" }], "")).toBe('at /: no item contains expected item 1 {"r":"x"}');
    expect(missingFrom({ a: 1 }, { b: 1 }, "")).toBe("at /a: expected 1, received nothing");
  });
});

describe("meets", () => {
  it("fails a crash where an error was expected, saying it was a crash", () => {
    const crash: Outcome = { kind: "crash", text: "x trapped in f: wasm trap", denied: [] };
    expect(meets({ error: "boom" }, crash)).toEqual({ ok: false, message: 'expected an error containing "boom", received a crash (trap): x trapped in f: wasm trap' });
  });

  it("accepts a denial only of the expected kind", () => {
    const denied: Outcome = { kind: "error-result", text: "error: no", error: "no", denied: ["network"] };
    expect(meets({ denied: "network" }, denied).ok).toBe(true);
    expect(meets({ denied: "storage" }, denied).message).toBe('expected a storage denial naming the grant to give, received error result "no" (denied: network)');
  });

  it("reports a result that should have been an error", () => {
    expect(meets({ error: "x" }, ok(3)).message).toBe('expected an error containing "x", received result 3');
    expect(meets({ result: 3 }, ok(3))).toEqual({ ok: true, message: "result as expected" });
  });
});
