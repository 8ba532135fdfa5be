// The built component (dist/{{name}}.wasm, made by `pnpm build`) in the engine that runs it,
// through the real host and an MCP client: what the unit tests in Node cannot show (engine gaps,
// the WIT mapping, exceptions the code does not catch).
import { join } from "node:path";
import { loadTool, ToolCallError, type LoadedTool } from "@airlock/tool-build/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let tool: LoadedTool;
beforeAll(async () => {
  tool = await loadTool(join(import.meta.dirname, "..", "dist", "{{name}}.wasm"));
}, 120_000);
afterAll(() => tool?.close());

describe("the built {{name}} component", () => {
  it("answers in the engine as in Node", async () => {
    expect(await tool.call("{{function}}", { text: "Hello, Ada!" })).toEqual({ words: 2, characters: 11 });
    expect(await tool.call("{{function}}", { text: "  Zoë 🙂 " })).toEqual({ words: 2, characters: 5 });
  }, 120_000);

  it("returns the WIT error for an empty text", async () => {
    const failed = await tool.call("{{function}}", { text: "" }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ToolCallError);
    expect((failed as ToolCallError).error).toMatch(/^the text is empty/);
  }, 120_000);
});
