// The built component (dist/grammar-checker.wasm, made by `pnpm build`), read with wasm-tools and
// called through the real host: the unit tests run the checker in Node, these in the component's engine.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { componentWit } from "@bytecodealliance/jco-transpile/wasm-tools";
import { exportedFunctions, importedInterfaces, parseWit } from "@airlock/wit-parser";
import { loadTool, ToolCallError, type LoadedTool } from "@airlock/tool-build/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const COMPONENT = join(import.meta.dirname, "..", "dist", "grammar-checker.wasm");
let wit: string;

beforeAll(async () => {
  wit = await componentWit(await readFile(COMPONENT));
});

describe("the built grammar-checker component", () => {
  it("targets the pure world: no filesystem, network, socket or environment; only the build's diagnostics import", () => {
    // airlock:tool/diagnostics reports the tool's own uncaught exceptions to the host; it reaches nothing.
    expect(importedInterfaces(parseWit(wit))).toEqual(["airlock:tool/diagnostics@0.1.0"]);
    expect(wit).not.toMatch(/wasi:(filesystem|sockets|http|cli)/);
  });

  it("exports check-grammar, carrying its WIT doc comments inside the component", () => {
    const [fn] = exportedFunctions(parseWit(wit));
    expect(fn?.name).toBe("check-grammar");
    expect(fn?.docs).toMatch(/^Check English text for grammar, spelling and style problems/);
    expect(fn?.params.map((p) => p.name)).toEqual(["text", "options"]);
  });
});

describe("check-grammar inside the component's engine", () => {
  let tool: LoadedTool;
  beforeAll(async () => {
    tool = await loadTool(COMPONENT);
  }, 120_000);
  afterAll(() => tool?.close());

  it("reports a repeated word after non-ASCII text, at its UTF-16 position", async () => {
    const issues = await tool.call("check-grammar", { text: "Le café naïve: it is is fine.", options: { rules: ["repeated-words"] } });
    expect(issues).toEqual([expect.objectContaining({ rule: "repeated-words", actual: "is is", start: { line: 1, column: 19, offset: 18 } })]);
  }, 60_000); // the first call compiles the component

  it("refuses a rule that does not exist as a tool error, not a crash", async () => {
    const error = await tool.call("check-grammar", { text: "Hi.", options: { rules: ["no-such-rule"] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolCallError);
    expect((error as ToolCallError).message).toMatch(/^check-grammar failed: invalid arguments for check-grammar: \/options\/rules\/0/);
  });
});
