// The checks on what a provider component declares and answers: a bad list or a bad answer is
// refused with a message naming the component, the tool and what to fix.
import { describe, expect, it } from "vitest";
import { checkProvidedTools, toProvidedResult } from "../../src/tools/provided-tools.js";

const objectSchema = JSON.stringify({ type: "object", properties: { q: { type: "string" } } });
const tool = (over: Record<string, unknown> = {}) => ({ name: "search", description: "Searches", inputSchema: objectSchema, ...over });

describe("checkProvidedTools", () => {
  it("maps annotations to MCP's hint names and keeps the schemas", () => {
    const [checked] = checkProvidedTools("c", [tool({ annotations: { title: "Search", readOnly: true, openWorld: false } })]);
    expect(checked).toEqual({
      name: "search",
      description: "Searches",
      inputSchema: JSON.parse(objectSchema),
      annotations: { title: "Search", readOnlyHint: true, openWorldHint: false },
    });
  });

  it("refuses a schema that is not JSON", () => {
    expect(() => checkProvidedTools("c", [tool({ inputSchema: "{type: object" })])).toThrow(/component "c" \(airlock:tool\/provider list-tools\): the input-schema of "search" is not JSON/);
  });

  it("refuses a schema that is not an object schema", () => {
    expect(() => checkProvidedTools("c", [tool({ outputSchema: JSON.stringify({ type: "string" }) })])).toThrow('the output-schema of "search" must be a JSON Schema with "type": "object"');
  });

  it("refuses a schema that does not compile", () => {
    expect(() => checkProvidedTools("c", [tool({ inputSchema: JSON.stringify({ type: "object", properties: { q: { type: "strung" } } }) })])).toThrow(
      /the input-schema of "search" is not a valid JSON Schema/,
    );
  });

  it("refuses a listing too large to check in bounded time", () => {
    const many = Array.from({ length: 257 }, (_, i) => tool({ name: `t${i}` }));
    expect(() => checkProvidedTools("c", many)).toThrow("lists 257 tools; at most 256 are allowed");
    expect(() => checkProvidedTools("c", [tool({ inputSchema: JSON.stringify({ type: "object", description: "x".repeat(70_000) }) })])).toThrow(
      /the input-schema of "search" is \d+ characters; at most 65536 are allowed/,
    );
  });

  it("refuses names a client could not call and names listed twice", () => {
    expect(() => checkProvidedTools("c", [tool({ name: "two words" })])).toThrow('tool name "two words" is not allowed');
    expect(() => checkProvidedTools("c", [tool(), tool()])).toThrow('tool "search" is listed twice');
  });
});

describe("toProvidedResult", () => {
  const [search] = checkProvidedTools("c", [tool({ outputSchema: JSON.stringify({ type: "object", required: ["hits"], properties: { hits: { type: "integer" } } }) })]);

  it("base64-encodes binary content and keeps structured content that matches the schema", () => {
    const result = toProvidedResult(search!, {
      content: [
        { tag: "image", val: { data: new Uint8Array([1, 2, 3]), mimeType: "image/png" } },
        { tag: "resource", val: { uri: "test://r", blob: new Uint8Array([255]) } },
      ],
      structuredContent: JSON.stringify({ hits: 3 }),
      isError: false,
    });
    expect(result).toEqual({
      content: [
        { type: "image", data: "AQID", mimeType: "image/png" },
        { type: "resource", resource: { uri: "test://r", blob: "/w==" } },
      ],
      structured: { hits: 3 },
      isError: false,
    });
  });

  it("refuses structured content that breaks the output schema, or is missing", () => {
    expect(toProvidedResult(search!, { content: [], structuredContent: JSON.stringify({ hits: "many" }), isError: false })).toEqual({
      problem: 'the structured content of "search" does not match its output schema: /hits: must be integer (type), received "many"',
    });
    expect(toProvidedResult(search!, { content: [], isError: false })).toEqual({ problem: '"search" declares an output schema but returned no structured content' });
  });

  it("refuses an embedded resource with both or neither of text and blob", () => {
    const both = { tag: "resource", val: { uri: "test://r", text: "a", blob: new Uint8Array([1]) } };
    expect(toProvidedResult(search!, { content: [both], isError: true })).toEqual({ problem: "the embedded resource test://r must have exactly one of text and blob" });
  });
});
