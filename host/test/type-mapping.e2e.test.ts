// Every row of the WIT <-> JSON mapping (packages/schema/README.md), through the real host and
// the official MCP SDK client, which checks every structuredContent against the tool's
// outputSchema. type-zoo (echo-*) is built with componentize-js; wat-scalars (scalar-*) is
// hand-written WAT, with no language runtime that could bend a value on the way.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, serveComponents } from "./helpers/airlock.js";

let served: Awaited<ReturnType<typeof serveComponents>>;

beforeAll(async () => {
  served = await serveComponents(fixture("type-zoo"), fixture("wat-scalars"));
});
afterAll(() => served?.cleanup());

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await served.mcp.client.callTool({ name, arguments: args })) as CallToolResult;
}

const animal = { name: "Rex", legs: 4, nickname: "T", colour: "green", tags: ["loud", "fast"] };

// [row of the mapping table, tool, argument, the structured result expected]
const roundTrips: [string, string, unknown, unknown][] = [
  ["bool", "echo-bool", true, true],
  ["s8 min", "scalar-s8", -128, -128],
  ["u8 max", "echo-u8", 255, 255],
  ["s16 min", "echo-s16", -32768, -32768],
  ["u16 max", "echo-u16", 65535, 65535],
  ["s32 min", "echo-s32", -2147483648, -2147483648],
  ["u32 max", "scalar-u32", 4294967295, 4294967295],
  ["u32 in componentize-js", "echo-u32", 2147483647, 2147483647],
  ["s64 min (exact)", "scalar-s64", "-9223372036854775808", "-9223372036854775808"],
  ["s64 max (exact)", "scalar-s64", "9223372036854775807", "9223372036854775807"],
  ["s64 small, as a number", "scalar-s64", -42, -42],
  ["s64 in componentize-js", "echo-s64", "9223372036854775807", "9223372036854775807"],
  ["u64 max (exact)", "scalar-u64", "18446744073709551615", "18446744073709551615"],
  ["u64 beyond 2^53", "echo-u64", "9007199254740993", "9007199254740993"],
  ["f32", "scalar-f32", 1.5, 1.5],
  ["f64", "echo-f64", 0.1, 0.1],
  ["f64 NaN", "scalar-f64", "NaN", "NaN"],
  ["f64 Infinity", "scalar-f64", "Infinity", "Infinity"],
  ["f32 -Infinity", "scalar-f32", "-Infinity", "-Infinity"],
  ["char emoji", "scalar-char", "😀", "😀"],
  ["char emoji (componentize-js)", "echo-char", "🦀", "🦀"],
  ["string", "echo-string", "héllo\u0000wörld", "héllo\u0000wörld"],
  ["list", "echo-list", [1, -2, 3], [1, -2, 3]],
  ["list empty", "echo-list", [], []],
  ["list<u8>", "echo-bytes", [0, 127, 255], [0, 127, 255]],
  ["tuple", "echo-tuple", ["a", 7, false], ["a", 7, false]],
  ["record", "echo-record", animal, animal],
  ["record, option field left out", "echo-record", { name: "Tom", legs: 4, colour: "red", tags: [] }, { name: "Tom", legs: 4, nickname: null, colour: "red", tags: [] }],
  ["variant with payload", "echo-variant", { tag: "born", val: 2024 }, { tag: "born", val: 2024 }],
  ["variant without payload", "echo-variant", { tag: "vanished" }, { tag: "vanished" }],
  ["enum", "echo-enum", "blue", "blue"],
  ["flags", "echo-flags", ["read", "execute-all"], ["read", "execute-all"]],
  ["flags none", "echo-flags", [], []],
  ["option some", "echo-option", "x", "x"],
  ["option none", "echo-option", null, null],
  ["option<option> none", "echo-nested-option", null, null],
  ["option<option> some(none)", "echo-nested-option", { some: null }, { some: null }],
  ["option<option> some(some)", "echo-nested-option", { some: 9 }, { some: 9 }],
  ["result ok (returned)", "echo-result", { ok: "fine" }, "fine"],
  ["nested combination", "echo-nested", [null, ["red", [animal]]], [null, ["red", [animal]]]],
];

describe("every WIT type round-trips through MCP", () => {
  it.each(roundTrips)("%s", async (_row, tool, arg, expected) => {
    const result = await call(tool, { x: arg });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(result.structuredContent).toEqual({ result: expected });
  });

  it("an exported interface function, its variant and an enum from a used interface", async () => {
    const result = await call("airlock-fixtures_type-zoo_geometry_area", { shape: { tag: "rectangle", val: [2, 3] }, unit: "metre" });
    expect(result.structuredContent).toEqual({ result: 6 });
  });

  it("several parameters of different types, and a function returning nothing", async () => {
    expect((await call("sum-all", { a: 1, b: "2", c: 0.5 })).structuredContent).toEqual({ result: 3.5 });
    const nothing = await call("nothing", {});
    expect(nothing.isError).toBeFalsy();
    expect(nothing.structuredContent).toBeUndefined();
    expect(nothing.content).toEqual([{ type: "text", text: "done" }]);
  });

  it("a WIT error result: isError, with the error value as text and as structured content", async () => {
    const failed = await call("echo-result", { x: { err: 7 } });
    expect(failed).toMatchObject({ isError: true, structuredContent: { error: 7 } });
    expect((failed.content[0] as { text: string }).text).toBe("error: 7");
    const ok = await call("succeed-or-fail", { ok: "yes", error: "no" });
    expect(ok.structuredContent).toEqual({ result: "yes" });
    const refused = await call("succeed-or-fail", { error: "it went wrong" });
    expect(refused).toMatchObject({ isError: true, structuredContent: { error: "it went wrong" } });
  });
});

// [row, tool, argument, what the message must say]
const rejections: [string, string, unknown, string][] = [
  ["bool", "echo-bool", "true", '/x: must be boolean (type), received "true"'],
  ["s8 below range", "echo-s8", -129, "/x: must be >= -128 (minimum), received -129"],
  ["u8 above range", "echo-u8", 256, "/x: must be <= 255 (maximum), received 256"],
  ["u16 not an integer", "echo-u16", 1.5, "/x: must be integer (type), received 1.5"],
  ["s32 above range", "echo-s32", 2147483648, "/x: must be <= 2147483647 (maximum), received 2147483648"],
  ["u32 negative", "echo-u32", -1, "/x: must be >= 0 (minimum), received -1"],
  ["s64 below range", "echo-s64", "-9223372036854775809", "/x: -9223372036854775809 is out of range for s64"],
  ["u64 above range", "echo-u64", "18446744073709551616", "/x: 18446744073709551616 is out of range for u64"],
  ["u64 not decimal", "echo-u64", "12abc", '/x: must match pattern "^[0-9]{1,20}$" (pattern), received "12abc"'],
  ["u64 unsafe number", "echo-u64", 9007199254740993, "/x: must be <= 9007199254740991 (maximum)"],
  ["f64 not a number", "echo-f64", "1.5", '/x: must be number (type), received "1.5"'],
  ["char two code points", "echo-char", "ab", '/x: must NOT have more than 1 characters (maxLength), received "ab"'],
  ["char empty", "echo-char", "", '/x: must NOT have fewer than 1 characters (minLength), received ""'],
  ["string", "echo-string", 5, "/x: must be string (type), received 5"],
  ["list item", "echo-list", [1, "2"], '/x/1: must be integer (type), received "2"'],
  ["list<u8> item", "echo-bytes", [256], "/x/0: must be <= 255 (maximum), received 256"],
  ["tuple too long", "echo-tuple", ["a", 1, true, 4], "/x: must NOT have more than 3 items (maxItems)"],
  ["tuple item", "echo-tuple", ["a", "1", true], '/x/1: must be integer (type), received "1"'],
  ["record missing field", "echo-record", { name: "x", legs: 1, colour: "red" }, "/x/tags: is required but missing"],
  ["record unknown field", "echo-record", { ...animal, wings: 2 }, "/x/wings: is not a known property (allowed: name, legs, nickname, colour, tags)"],
  ["record field type", "echo-record", { ...animal, legs: -1 }, "/x/legs: must be >= 0 (minimum), received -1"],
  ["variant unknown case", "echo-variant", { tag: "died" }, "/x/tag: must be"],
  ["variant payload type", "echo-variant", { tag: "born", val: "2024" }, '/x/val: must be integer (type), received "2024"'],
  ["enum", "echo-enum", "purple", '/x: must be one of ["red","green","blue"], received "purple"'],
  ["flags unknown flag", "echo-flags", ["fly"], '/x/0: must be one of ["read","write","execute-all"], received "fly"'],
  ["flags repeated", "echo-flags", ["read", "read"], "/x: must NOT have duplicate items"],
  ["option payload type", "echo-option", 3, "/x: must be string (type), received 3"],
  ["option<option> bare value", "echo-nested-option", 3, "/x: must be object (type), received 3"],
  ["result both cases", "echo-result", { ok: "a", err: 1 }, "/x"],
  ["missing parameter", "echo-string", undefined, "/x: is required but missing"],
];

describe("invalid arguments are refused before the call, naming path, rule and value", () => {
  it.each(rejections)("%s", async (_row, tool, arg, message) => {
    const result = await call(tool, arg === undefined ? {} : { x: arg });
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toContain(message);
  });

  it("keeps serving after every refusal", async () => {
    expect((await call("echo-u8", { x: 1 })).structuredContent).toEqual({ result: 1 });
  });
});
