// End to end: the real grammar checker component, loaded with the real CLI, served by
// `airlock serve` over stdio, driven by the official MCP SDK client.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, connect, GRAMMAR_CHECKER, tempHome, type Connected, type TempHome } from "./helpers/airlock.js";
import { verifies } from "./requirements/requirements.js";

let home: TempHome;
let mcp: Connected;

beforeAll(async () => {
  home = await tempHome();
  const loaded = await airlock(home, "load", GRAMMAR_CHECKER);
  expect(loaded.stderr).toBe("");
  expect(loaded.stdout).toMatch(/^loaded grammar-checker \(sha256 [0-9a-f]{12}, 1 tool: check-grammar\)/);
  mcp = await connect(home);
}, 60_000);

afterAll(async () => {
  await mcp?.close();
  await home?.cleanup();
});

describe("airlock serve with the grammar checker", () => {
  it("lists check-grammar with its WIT doc comment, schemas and annotations", async () => {
    verifies("mcp:lifecycle:initialize", "mcp:tools:list");
    const tools = (await mcp.client.listTools()).tools.filter((t) => t._meta?.["airlock/component"] === "grammar-checker");
    expect(tools.map((t) => t.name)).toEqual(["check-grammar"]);
    const tool = tools[0]!;
    expect(tool.description).toMatch(/^Check English text for grammar, spelling and style problems/);
    expect(tool.inputSchema.required).toEqual(["text"]);
    expect((tool.inputSchema.properties as Record<string, { description?: string }>).text?.description).toBe("The English text to check (plain text, any length).");
    expect(tool.outputSchema?.required).toEqual(["result"]);
    expect(tool.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: false });
  });

  it("reports the repeated word and the wrong article at their exact positions", async () => {
    verifies("mcp:tools:call", "mcp:tools:structured-content");
    const result = await mcp.client.callTool({ name: "check-grammar", arguments: { text: "This is is an test. Their going to the store." } });
    expect(result.isError).toBeFalsy();
    const issues = (result.structuredContent as { result: { rule: string; actual: string; start: unknown; end: unknown; suggestions: string[] }[] }).result;
    expect(issues.map((i) => [i.rule, i.actual, i.start, i.end, i.suggestions])).toEqual([
      ["repeated-words", "is is", { line: 1, column: 6, offset: 5 }, { line: 1, column: 11, offset: 10 }, ["is"]],
      ["indefinite-article", "an", { line: 1, column: 12, offset: 11 }, { line: 1, column: 14, offset: 13 }, ["a"]],
      ["confused-words", "Their", { line: 1, column: 21, offset: 20 }, { line: 1, column: 26, offset: 25 }, ["They're"]],
    ]);
    const text = (result.content as { type: string; text: string }[])[0]!;
    expect(text.type).toBe("text");
    expect(JSON.parse(text.text)).toEqual(issues);
  });

  it("passes options through: chosen rules, max-issues, ignore-words", async () => {
    const result = await mcp.client.callTool({
      name: "check-grammar",
      arguments: { text: "Zorblax sent an test to Quuxby.", options: { rules: ["spelling", "indefinite-article"], "max-issues": 2, "ignore-words": ["quuxby"] } },
    });
    const issues = (result.structuredContent as { result: { rule: string; actual: string }[] }).result;
    expect(issues.map((i) => [i.rule, i.actual])).toEqual([
      ["spelling", "Zorblax"],
      ["indefinite-article", "an"],
    ]);
  });

  it.each([
    [{}, "/text: is required but missing (required)"],
    [{ text: 42 }, "/text: must be string (type), received 42"],
    [{ text: "hi", options: { colour: "red" } }, "/options/colour: is not a known property"],
    [{ text: "hi", options: { rules: ["grammar"] } }, '/options/rules/0: must be one of ["repeated-words"'],
    [{ text: "hi", options: { "max-issues": -1 } }, "/options/max-issues: must be >= 0 (minimum), received -1"],
  ])("refuses malformed arguments %j with a message naming the field", async (args, message) => {
    const result = await mcp.client.callTool({ name: "check-grammar", arguments: args });
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]!.text).toContain(message);
  });

  it("keeps serving after bad calls, and answers an unknown tool with a protocol error", async () => {
    verifies("mcp:tools:unknown-tool");
    await expect(mcp.client.callTool({ name: "no-such-tool", arguments: {} })).rejects.toThrow(/unknown tool "no-such-tool"/);
    const result = await mcp.client.callTool({ name: "check-grammar", arguments: { text: "Fine." } });
    expect(result.structuredContent).toEqual({ result: [] });
  });

  it("writes nothing but protocol messages to stdout", () => {
    verifies("mcp:stdio:only-protocol-on-stdout");
    expect(mcp.protocolErrors).toEqual([]);
    expect(mcp.stderr()).toContain("airlock: serving 1 tool from 1 component(s) over stdio");
  });
});
