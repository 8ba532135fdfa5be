// The component's engine is not Node: tools built from temporary folders, called through the real
// host. A Unicode property escape works inside the component (the build rewrites it), an uncaught
// exception still names the tool's line, and what the build cannot rewrite fails it naming the
// construct and the line, with a hint that is about the engine, not the WIT.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BuildError, buildTool } from "../src/index.js";
import { loadTool, ToolCallError, type LoadedTool } from "../src/testing.js";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function makeTool(source: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "airlock-engine-"));
  dirs.push(dir);
  const files = {
    "package.json": JSON.stringify({ name: "words", version: "0.1.0", type: "module" }),
    "wit/world.wit": "package test:words@0.1.0;\n\nworld words {\n  include airlock:capabilities/pure@0.1.0;\n  export words: func(text: string) -> list<string>;\n}\n",
    "src/component.ts": source,
  };
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, ".."), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

describe("a tool using /\\p{L}/u, built and called through the host", () => {
  let tool: LoadedTool;
  beforeAll(async () => {
    const dir = await makeTool(
      [
        "// Words: letters, digits and apostrophes.",
        "const WORD = /[\\p{L}\\p{N}']+/gu;",
        "export function words(text: string): string[] {",
        '  if (text === "boom") throw new Error("no words in boom");',
        "  return text.match(WORD) ?? [];",
        "}",
        "",
      ].join("\n"),
    );
    const built = await buildTool(dir);
    tool = await loadTool(built.outFile);
  }, 240_000);
  afterAll(() => tool?.close());

  it("matches non-ASCII letters inside the engine", async () => {
    expect(await tool.call("words", { text: "héllo wörld 日本, it's 42" })).toEqual(["héllo", "wörld", "日本", "it's", "42"]);
  });

  it("still names the tool's own line for an uncaught exception in a rewritten file", async () => {
    const error = await tool.call("words", { text: "boom" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolCallError);
    expect((error as ToolCallError).message).toMatch(/no words in boom \(at src\/component\.ts:4:\d+\)/);
  });
});

describe("a construct the build cannot rewrite", () => {
  async function buildFailure(lines: string[]): Promise<BuildError> {
    const error = await buildTool(await makeTool([...lines, "export function words(text: string): string[] {", "  return text.match(WORD) ?? [];", "}", ""].join("\n"))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildError);
    expect((error as BuildError).hint).toMatch(/engine/);
    expect((error as BuildError).hint).not.toMatch(/WIT/);
    return error as BuildError;
  }

  it("at top level in the tool's own file: fails before componentize, naming it and its line", async () => {
    const error = await buildFailure(["// A pattern made at run time is not rewritten.", "const letters = 'L';", 'const WORD = new RegExp(`\\\\p{${letters}}+`, "gu");']);
    expect(error.message).toMatch(
      /^src\/component\.ts:3:14: a Unicode property escape \(\\p\{\.\.\.\}\) in a regular expression is not supported by the component's engine, and this line runs when the build evaluates the module's top level$/,
    );
  });

  it("out of the pre-check's sight: the engine's own error, mapped to the tool's line", async () => {
    const error = await buildFailure(["// The pattern reaches RegExp through a function.", 'const make = (pattern: string) => new RegExp(pattern, "gu");', 'const WORD = make("\\\\p{L}+");']);
    expect(error.message).toMatch(
      /^src\/component\.ts:2:\d+: a Unicode property escape .* is not supported by the component's engine: SyntaxError: invalid property name in regular expression \\p\{L\}\+$/,
    );
  }, 180_000);
});
