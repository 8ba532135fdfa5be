// The built component (dist/grammar-checker.wasm, made by `pnpm build`), read with wasm-tools.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { componentWit } from "@bytecodealliance/jco-transpile/wasm-tools";
import { exportedFunctions, importedInterfaces, parseWit } from "@airlock/wit-parser";
import { beforeAll, describe, expect, it } from "vitest";

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
