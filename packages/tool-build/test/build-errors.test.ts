// The errors a tool author meets, from real broken tools: each names the file, the line and what
// to fix, never a stack trace from the toolchain. None of these reach the slow componentize step.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BuildError, buildTool, generateTypes, parseTscOutput } from "../src/index.js";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A typed tool like the ones create-tool writes, with a tsconfig that needs nothing installed. */
async function typedTool(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "airlock-typed-"));
  dirs.push(dir);
  const tsconfig = {
    compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2023"], types: [], strict: true, noEmit: true, skipLibCheck: true, verbatimModuleSyntax: true },
    include: ["src"],
  };
  const all = {
    "package.json": JSON.stringify({ name: "greeter", version: "0.3.0", type: "module", airlock: { types: "src/generated" } }),
    "tsconfig.json": JSON.stringify(tsconfig),
    "wit/world.wit": WORLD,
    ...files,
  };
  for (const [name, content] of Object.entries(all)) {
    await mkdir(join(dir, name, ".."), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

const WORLD = `package test:greeter@0.1.0;

world greeter {
  include airlock:capabilities/pure@0.1.0;

  record greeting {
    text: string,
    name-length: u32,
  }

  /// Greets.
  export greet: func(name: string) -> result<greeting, string>;

  /// Shouts.
  export shout: func(text: string, times: option<u32>) -> string;
}
`;

const GOOD = `import type { Exports } from "./generated/world.js";
export const greet: Exports["greet"] = (name) => ({ text: \`Hello, \${name}!\`, nameLength: name.length });
export const shout: Exports["shout"] = (text, times) => text.toUpperCase().repeat(times ?? 1);
`;

async function buildError(dir: string): Promise<string> {
  const error = await buildTool(dir).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BuildError);
  return (error as BuildError).format();
}

describe("readable build errors", () => {
  it("a WIT syntax error: the file relative to the tool, line, column, what was expected", async () => {
    const dir = await typedTool({ "wit/world.wit": WORLD.replace("func(name: string)", "func(name: string"), "src/component.ts": GOOD });
    expect(await buildError(dir)).toBe("WIT syntax error at wit/world.wit:12:35: expected `)`, found `->`\n  hint: fix the WIT at that line");
  });

  it("a WIT type that does not exist: where it is used, what jco says without its stack, what to do", async () => {
    const dir = await typedTool({ "wit/world.wit": WORLD.replace("-> string;", "-> shouting;"), "src/component.ts": GOOD });
    const message = await buildError(dir);
    expect(message).toMatch(/^wit\/world\.wit:15:\d+: cannot generate types from wit\/: .*shouting/s);
    expect(message).toContain("hint: that name is not defined: fix its spelling, define it, or bring it in with `use`");
    expect(message).not.toMatch(/\n\s+at /);
  });

  it("a capability world that does not exist: which include, and the ones there are", async () => {
    const dir = await typedTool({ "wit/world.wit": WORLD.replace("capabilities/pure@", "capabilities/pur@"), "src/component.ts": GOOD });
    expect(await buildError(dir)).toBe(
      'world "greeter" includes airlock:capabilities/pur@0.1.0, which does not exist\n  hint: the capability worlds are airlock:capabilities/pure, files, http and env (@0.1.0)',
    );
  });

  it("a missing export: the entry, the WIT line that declares it, and the function to add", async () => {
    const dir = await typedTool({ "src/component.ts": GOOD.split("\n").slice(0, 2).join("\n") });
    expect(await buildError(dir)).toBe(
      'src/component.ts: the world "greeter" exports "shout" (wit/world.wit:15) but the module does not export it\n' +
        "  hint: add to src/component.ts:\n    export function shout(text: string, times: number | undefined): string { ... }\n  (kebab-case WIT names are camelCase in JavaScript)",
    );
  });

  it("a TypeScript type error against the generated world types: file:line:column and tsc's message", async () => {
    const dir = await typedTool({ "src/component.ts": GOOD.replace("nameLength: name.length", 'nameLength: "three"') });
    const message = await buildError(dir);
    expect(message).toMatch(/^TypeScript found 1 error:\nsrc\/component\.ts:2:\d+: Type 'string' is not assignable to type 'number'\. \(TS2322\)/);
    expect(message).toContain("hint: fix the source at those lines; the world's types are generated from wit/ into src/generated/");
  });

  it("a function whose parameters do not match the WIT: blamed on the entry, not the generated check", async () => {
    const dir = await typedTool({
      "src/component.ts": GOOD.replace('export const shout: Exports["shout"] = (text, times)', "export function shout(text: number, times?: number)")
        .replace(/;\n$/, "}\n")
        .replace("=> text.toUpperCase().repeat(times ?? 1)", "{ return String(text).repeat(times ?? 1);"),
    });
    const message = await buildError(dir);
    expect(message).toMatch(/^TypeScript found 1 error:\nsrc\/component\.ts: its exports do not match the world's WIT: .*shout/s);
  });

  it("a TypeScript syntax error in the entry: file:line:column from the bundler", async () => {
    const dir = await typedTool({ "src/component.ts": "export function greet(name: string { return name; }" });
    expect(await buildError(dir)).toMatch(/^src\/component\.ts:1:\d+: Expected "\)" but found "\{"/);
  });
});

describe("generateTypes", () => {
  it("writes the world's types and the check that the entry implements it", async () => {
    const dir = await typedTool({ "src/component.ts": GOOD });
    const files = await generateTypes(dir);
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(["src/generated/check.ts", "src/generated/greeter.d.ts", "src/generated/world.ts"]);
    const types = await readFile(join(dir, "src/generated/greeter.d.ts"), "utf8");
    expect(types).toContain("declare module 'test:greeter/greeter@0.1.0'");
    expect(types).toContain("export function greet(name: string): Greeting;");
  });
});

describe("parseTscOutput", () => {
  it("reads file, line, column, code and the indented continuation lines", () => {
    const output = "src/a.ts(3,7): error TS2322: Type 'x' is not assignable.\n  Property 'y' is missing.\nsrc/b.ts(1,1): error TS1005: ';' expected.\n";
    expect(parseTscOutput(output)).toEqual([
      { file: "src/a.ts", line: 3, column: 7, code: "TS2322", message: "Type 'x' is not assignable.\n    Property 'y' is missing." },
      { file: "src/b.ts", line: 1, column: 1, code: "TS1005", message: "';' expected." },
    ]);
  });
});
