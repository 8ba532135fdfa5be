// Every row of the WIT <-> JSON mapping (packages/schema/README.md), through the real host and
// the official MCP SDK client, which checks every structuredContent against the tool's
// outputSchema. type-zoo (echo-*) is built with componentize-js; wat-scalars (scalar-*) is
// hand-written WAT, with no language runtime that could bend a value on the way.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture, serveComponents } from "./helpers/airlock.js";
import { rejections, roundTrips } from "./type-mapping.cases.js";
import { verifies } from "./requirements/requirements.js";

let served: Awaited<ReturnType<typeof serveComponents>>;

beforeAll(async () => {
  served = await serveComponents(fixture("type-zoo"), fixture("wat-scalars"));
});
afterAll(() => served?.cleanup());

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await served.mcp.client.callTool({ name, arguments: args })) as CallToolResult;
}

describe("every WIT type round-trips through MCP", () => {
  it.each(roundTrips)("%s", async (_row, tool, arg, expected) => {
    verifies("contract:components:type-mapping");
    const result = await call(tool, { x: arg });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(result.structuredContent).toEqual({ result: expected });
  });

  it("an exported interface function, its variant and an enum from a used interface", async () => {
    verifies("contract:components:naming");
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

describe("invalid arguments are refused before the call, naming path, rule and value", () => {
  it.each(rejections)("%s", async (_row, tool, arg, message) => {
    verifies("mcp:tools:validate-inputs");
    const result = await call(tool, arg === undefined ? {} : { x: arg });
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toContain(message);
  });

  it("keeps serving after every refusal", async () => {
    expect((await call("echo-u8", { x: 1 })).structuredContent).toEqual({ result: 1 });
  });
});
