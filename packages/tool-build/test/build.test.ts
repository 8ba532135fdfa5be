// airlock-tool-build on tools made in temporary folders: one real build, and the errors an
// author meets, which must say where and what to fix.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { componentWit } from "@bytecodealliance/jco-transpile/wasm-tools";
import { replaceCustomSections } from "@airlock/wit-parser";
import { afterEach, describe, expect, it } from "vitest";
import { BuildError, buildTool, componentVersion, disabledFeatures } from "../src/index.js";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function makeTool(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "airlock-tool-"));
  dirs.push(dir);
  const all = { "package.json": JSON.stringify({ name: "t", version: "1.2.3" }), ...files };
  for (const [name, content] of Object.entries(all)) {
    await mkdir(join(dir, name, ".."), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

const PURE_WORLD = `package test:shout@0.1.0;
world shout {
  include airlock:capabilities/pure@0.1.0;
  /// Upper-cases a text.
  export shout: func(
    /// The text.
    text: string,
  ) -> string;
}`;

describe("buildTool", () => {
  it("builds a pure component that imports nothing and carries its doc comments", async () => {
    const dir = await makeTool({
      "wit/world.wit": PURE_WORLD,
      "src/component.ts": "export function shout(text: string): string { return text.toUpperCase(); }",
    });
    const result = await buildTool(dir);
    expect(result).toMatchObject({ outFile: join(dir, "dist", `${dir.split("/").pop()}.wasm`), world: "shout", capabilities: ["pure"] });
    const wit = await componentWit(await readFile(result.outFile));
    // A pure tool imports only what reports its own uncaught exceptions (diagnostics.ts).
    expect(wit.match(/^\s*import .*$/gm)?.map((line) => line.trim())).toEqual(["import airlock:tool/diagnostics@0.1.0;"]);
    expect(wit).toContain("/// Upper-cases a text.\n  export shout: func(text: string) -> string;");
    expect(componentVersion(await readFile(result.outFile))).toBe("1.2.3");
    expect(result.cached).toBe(false);

    // A release changes only the version: componentize-js is skipped and the component differs only in its version.
    const first = await readFile(result.outFile);
    await writeFile(join(dir, "package.json"), JSON.stringify({ name: "t", version: "1.3.0" }));
    const release = await buildTool(dir);
    expect(release.cached).toBe(true);
    const second = await readFile(release.outFile);
    expect(componentVersion(second)).toBe("1.3.0");
    const withoutVersion = (bytes: Uint8Array) => Buffer.from(replaceCustomSections(bytes, [{ name: "version", payload: new Uint8Array() }]));
    expect(withoutVersion(second).equals(withoutVersion(first)), "the release differs from the first build beyond its version").toBe(true);

    // A changed source is componentized again.
    await writeFile(join(dir, "src", "component.ts"), "export function shout(text: string): string { return text.toUpperCase() + '!'; }");
    const changed = await buildTool(dir);
    expect(changed.cached).toBe(false);
    expect((await readFile(changed.outFile)).equals(second)).toBe(false);
  }, 180_000);

  it("reports a WIT syntax error with file, line and column", async () => {
    const dir = await makeTool({ "wit/world.wit": "package a:b@0.1.0;\nworld w {\n  export f: func(x: u32 -> u32;\n}\n" });
    const error = await buildTool(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildError);
    expect((error as BuildError).format()).toMatch(/world\.wit:3:25: expected `\)`, found `->`\n {2}hint: fix the WIT at that line/);
  });

  it("refuses a world that includes no capability world, saying what to add", async () => {
    const dir = await makeTool({ "wit/world.wit": "package a:b@0.1.0;\nworld w {\n  export f: func() -> u32;\n}\n" });
    await expect(buildTool(dir)).rejects.toThrow('world "w" includes no capability world');
  });

  it("shows a TypeScript syntax error in the entry as file:line:column", async () => {
    const dir = await makeTool({ "wit/world.wit": PURE_WORLD, "src/component.ts": "export function shout(text: string { return text; }" });
    const error = await buildTool(dir).catch((e: unknown) => e);
    expect((error as BuildError).message).toMatch(/^src\/component\.ts:1:\d+: Expected "\)" but found "\{"/);
  });

  it("asks for the world by name when wit/ defines several", async () => {
    const dir = await makeTool({ "wit/world.wit": `${PURE_WORLD}\nworld other { include airlock:capabilities/pure@0.1.0; }` });
    await expect(buildTool(dir)).rejects.toThrow("expected exactly one world");
  });
});

describe("disabledFeatures", () => {
  it("compiles every engine feature out of a pure tool, and keeps fetch for http", () => {
    expect(disabledFeatures(["pure"])).toEqual(["stdio", "random", "clocks", "http", "fetch-event"]);
    expect(disabledFeatures(["http"])).toEqual(["fetch-event"]);
    expect(disabledFeatures(["files", "env"])).toEqual(["http", "fetch-event"]);
  });
});
