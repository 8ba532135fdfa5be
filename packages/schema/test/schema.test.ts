import { exportedFunctions, parseWit, type ResolvedType } from "@airlock/wit-parser";
import { describe, expect, it } from "vitest";
import { createValidator, formatProblems, guestToJson, inputSchema, jsonToGuest, outputSchema, typeSchema } from "../src/index.js";

const WIT = `package demo:zoo@0.1.0;
world zoo {
  /// Check options.
  record options {
    /// Rule ids to run.
    rules: option<list<string>>,
    max-issues: u32,
    mode: mode,
  }
  enum mode { fast, thorough }
  flags perms { read, write-all }
  variant shape { circle(f64), empty }
  export check: func(
    /// The text.
    text: string,
    options: option<options>,
  ) -> result<list<u8>, string>;
  export zoo: func(a: s64, b: u64, c: char, d: tuple<u8, bool>, e: perms, f: shape, g: option<option<u16>>, h: f32) -> s8;
}`;
const [check, zoo] = exportedFunctions(parseWit(WIT));

function paramType(fn: typeof zoo, name: string): ResolvedType {
  return fn!.params.find((p) => p.name === name)!.type;
}

describe("inputSchema", () => {
  it("has one property per parameter, requires the non-option ones, and carries docs", () => {
    const schema = inputSchema(check!);
    expect(schema.required).toEqual(["text"]);
    expect(schema.additionalProperties).toBe(false);
    const props = schema.properties as Record<string, Record<string, unknown>>;
    expect(props.text).toEqual({ description: "The text.", type: "string" });
    const options = (props.options!.anyOf as Record<string, unknown>[])[0]!;
    expect(options).toMatchObject({
      description: "Check options.",
      type: "object",
      required: ["max-issues", "mode"],
      additionalProperties: false,
    });
    expect((options.properties as Record<string, unknown>)["max-issues"]).toEqual({ type: "integer", minimum: 0, maximum: 4294967295 });
  });

  it("accepts valid arguments and names path, rule and received value for invalid ones", () => {
    const validate = createValidator(inputSchema(check!));
    expect(validate({ text: "hi" })).toEqual([]);
    expect(validate({ text: "hi", options: { "max-issues": 3, mode: "fast", rules: null } })).toEqual([]);
    expect(formatProblems(validate({}))).toBe("/text: is required but missing (required)");
    expect(formatProblems(validate({ text: 42 }))).toBe("/text: must be string (type), received 42");
    expect(formatProblems(validate({ text: "x", colour: "red" }))).toBe("/colour: is not a known property (additionalProperties; allowed: text, options)");
    expect(formatProblems(validate({ text: "x", options: { "max-issues": -1, mode: "slow" } }))).toBe(
      '/options/max-issues: must be >= 0 (minimum), received -1; /options/mode: must be one of ["fast","thorough"] (enum), received "slow"',
    );
  });

  it("checks a schema of ours as strictly without the meta-schema check, and still refuses a component's invalid schema", () => {
    const ours = createValidator(inputSchema(check!), { ownSchema: true });
    const checked = createValidator(inputSchema(check!));
    for (const args of [{ text: "hi" }, {}, { text: 42 }, { text: "x", colour: "red" }, { text: "x", options: { "max-issues": -1, mode: "slow" } }]) {
      expect(ours(args)).toEqual(checked(args));
    }
    expect(ours({ text: 42 })).not.toEqual([]);
    expect(() => createValidator({ type: "object", properties: { n: { type: "integer", minimum: "zero" } } } as never)).toThrow(/schema is invalid/);
  });

  it("checks a char is exactly one code point, counting an emoji as one", () => {
    const validate = createValidator(typeSchema(paramType(zoo, "c")));
    expect(validate("😀")).toEqual([]);
    expect(validate("ab")[0]?.rule).toBe("maxLength");
  });
});

describe("outputSchema", () => {
  it("wraps the value in {result}, and allows {error} for a result type", () => {
    expect(outputSchema(zoo!)).toEqual({
      type: "object",
      properties: { result: { type: "integer", minimum: -128, maximum: 127 } },
      required: ["result"],
      additionalProperties: false,
    });
    const validate = createValidator(outputSchema(check!)!);
    expect(validate({ result: [1, 2] })).toEqual([]);
    expect(validate({ error: "bad" })).toEqual([]);
    expect(validate({ result: [1], error: "bad" })).not.toEqual([]);
  });
});

describe("conversion", () => {
  const roundTrip = (type: ResolvedType, json: unknown) => guestToJson(type, jsonToGuest(type, json));

  it("converts records to jco's camelCase keys and back", () => {
    const options = (paramType(check, "options") as { inner: ResolvedType }).inner;
    expect(jsonToGuest(options, { "max-issues": 2, mode: "fast" })).toEqual({ rules: undefined, maxIssues: 2, mode: "fast" });
    expect(roundTrip(options, { "max-issues": 2, mode: "fast", rules: ["a"] })).toEqual({ "max-issues": 2, mode: "fast", rules: ["a"] });
  });

  it("round-trips 64-bit extremes exactly, as strings beyond 2^53", () => {
    expect(jsonToGuest(paramType(zoo, "b"), "18446744073709551615")).toBe(18446744073709551615n);
    expect(roundTrip(paramType(zoo, "b"), "18446744073709551615")).toBe("18446744073709551615");
    expect(roundTrip(paramType(zoo, "a"), "-9223372036854775808")).toBe("-9223372036854775808");
    expect(roundTrip(paramType(zoo, "a"), 42)).toBe(42);
    expect(() => jsonToGuest(paramType(zoo, "b"), "18446744073709551616", "/b")).toThrow("/b: 18446744073709551616 is out of range for u64");
  });

  it("represents flags as a list of names, variants as {tag, val}, tuples as arrays", () => {
    expect(jsonToGuest(paramType(zoo, "e"), ["write-all"])).toEqual({ read: false, writeAll: true });
    expect(roundTrip(paramType(zoo, "e"), ["write-all"])).toEqual(["write-all"]);
    expect(roundTrip(paramType(zoo, "f"), { tag: "circle", val: 1.5 })).toEqual({ tag: "circle", val: 1.5 });
    expect(roundTrip(paramType(zoo, "f"), { tag: "empty" })).toEqual({ tag: "empty" });
    expect(roundTrip(paramType(zoo, "d"), [255, true])).toEqual([255, true]);
  });

  it("keeps none and some(none) of a nested option apart, tagging the outer level as jco does", () => {
    const g = paramType(zoo, "g");
    expect(jsonToGuest(g, null)).toEqual({ tag: "none" });
    expect(jsonToGuest(g, { some: null })).toEqual({ tag: "some", val: undefined });
    expect(jsonToGuest(g, { some: 7 })).toEqual({ tag: "some", val: 7 });
    expect(roundTrip(g, null)).toBe(null);
    expect(roundTrip(g, { some: null })).toEqual({ some: null });
    expect(roundTrip(g, { some: 7 })).toEqual({ some: 7 });
    expect(createValidator(typeSchema(g))({ some: 7 })).toEqual([]);
  });

  it("carries NaN and the infinities as strings", () => {
    const h = paramType(zoo, "h");
    expect(jsonToGuest(h, "-Infinity")).toBe(-Infinity);
    expect(guestToJson(h, NaN)).toBe("NaN");
    expect(guestToJson(h, Infinity)).toBe("Infinity");
  });
});

describe("unwrapDocs", () => {
  it("joins wrapped lines and keeps paragraphs and list items", async () => {
    const { unwrapDocs } = await import("../src/index.js");
    expect(unwrapDocs("Checks text for\nproblems.\n\nRules:\n- spelling\n- quotes")).toBe("Checks text for problems.\n\nRules:\n- spelling\n- quotes");
  });
});
