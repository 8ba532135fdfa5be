// The three sample tools called the way a user first tries them, whatever the transport or era:
// the grammar checker, the file reader denied and then granted (through the built-in grant
// tool, so the grant lands in the policy file), the fetcher denied without a network grant.
import { join } from "node:path";
import { expect } from "vitest";

export type ToolResult = { content: { type: string; text?: string }[]; structuredContent?: unknown; isError?: boolean };
export type CallTool = (name: string, args: Record<string, unknown>) => Promise<ToolResult>;

export const resultText = (result: ToolResult) => result.content.map((c) => c.text ?? "").join("\n");

/** `dir` holds a notes.md whose text has "second line"; the file reader has no grant for it yet. */
export async function expectSampleToolsServed(call: CallTool, dir: string): Promise<void> {
  const grammar = await call("check-grammar", { text: "This is is an test." });
  expect((grammar.structuredContent as { result: { rule: string }[] }).result.map((i) => i.rule)).toEqual(["repeated-words", "indefinite-article"]);

  const file = join(dir, "notes.md");
  expect((await call("read-file", { path: file })).isError).toBe(true);
  const granted = await call("grant-storage-permission", { component_id: "file-reader", details: { uri: `fs://${dir}`, access: ["read"] } });
  expect(granted.isError, resultText(granted)).toBeFalsy();
  const read = await call("read-file", { path: file });
  expect(read.isError, resultText(read)).toBeFalsy();
  expect(resultText(read)).toContain("second line");

  const fetched = await call("fetch", { url: "http://127.0.0.1:9/page" });
  expect(fetched.isError).toBe(true);
  expect(resultText(fetched)).toContain("grant-network-permission");
}
