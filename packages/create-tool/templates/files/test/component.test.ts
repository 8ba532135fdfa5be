// The built component (dist/{{name}}.wasm, made by `pnpm build`) in the engine that runs it,
// through the real host and an MCP client, with a read-only grant of conformance/docs/ only.
import { join } from "node:path";
import { loadTool, ToolCallError, type LoadedTool } from "@airlock/tool-build/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const DOCS = join(import.meta.dirname, "..", "conformance", "docs");
let tool: LoadedTool;
beforeAll(async () => {
  tool = await loadTool(join(import.meta.dirname, "..", "dist", "{{name}}.wasm"), { grants: { storage: [{ path: DOCS, access: ["read"] }] } });
}, 120_000);
afterAll(() => tool?.close());

describe("the built {{name}} component", () => {
  it("counts a file in the granted directory", async () => {
    expect(await tool.call("{{function}}", { path: join(DOCS, "sample.txt") })).toEqual({ lines: 2, words: 12, characters: 63 });
  }, 120_000);

  it("is denied a file outside it, and the host names the grant that would allow it", async () => {
    const outside = join(import.meta.dirname, "..", "package.json");
    const failed = await tool.call("{{function}}", { path: outside }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ToolCallError);
    expect(String((failed as ToolCallError).error)).toContain("is outside the directories this tool may read");
    expect((failed as ToolCallError).message).toContain(`grant {{name}} storage ${join(import.meta.dirname, "..")} --access read`);
  }, 120_000);
});
