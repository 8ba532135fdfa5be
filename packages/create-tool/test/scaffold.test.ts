// The scaffolder on its own, in a temporary fake workspace: names, refusals, and what it writes.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { invalidNameReason, ScaffoldError, scaffoldTool, WORLDS } from "../src/index.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "airlock-scaffold-"));
  await writeFile(join(root, "pnpm-workspace.yaml"), "packages:\n  - tools/*\n");
  await mkdir(join(root, ".changeset"));
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function allFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    out.push(...(entry.isDirectory() ? await allFiles(dir, path) : [path]));
  }
  return out.sort();
}

describe("tool names", () => {
  it.each(["hello", "word-count", "csv2json", "a"])("accepts %s", (name) => {
    expect(invalidNameReason(name)).toBeUndefined();
  });

  it.each([
    ["", "a tool needs a name"],
    ["Hello", "not a valid tool name"],
    ["word_count", "not a valid tool name"],
    ["2fast", "not a valid tool name"],
    ["word--count", "not a valid tool name"],
    ["trailing-", "not a valid tool name"],
    ["../evil", "not a valid tool name"],
    ["record", "is a WIT keyword"],
    ["capabilities", "which Airlock itself defines"],
    ["tool", "which Airlock itself defines"],
    ["x".repeat(41), "longer than 40 characters"],
  ])("refuses %j, saying why", (name, reason) => {
    expect(invalidNameReason(name)).toContain(reason);
  });
});

describe("scaffoldTool", () => {
  it.each(WORLDS)("writes a complete %s tool with every placeholder filled", async (world) => {
    const { dir, files } = await scaffoldTool({ name: "my-tool", world, root });
    expect(dir).toBe(join(root, "tools", "my-tool"));
    const written = await allFiles(dir);
    expect(files).toEqual(written.map((f) => `tools/my-tool/${f}`));
    for (const required of [".gitignore", "README.md", "conformance.yaml", "package.json", "policy.yaml", "src/component.ts", "tsconfig.json", "wit/world.wit"]) {
      expect(written).toContain(required);
    }
    expect(written.some((f) => /^test\/.+\.test\.ts$/.test(f))).toBe(true);
    for (const file of written) expect(await readFile(join(dir, file), "utf8"), file).not.toMatch(/\{\{\w+\}\}/);

    const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
    expect(manifest).toMatchObject({ name: "@airlock/tool-my-tool", airlock: { world: "my-tool", entry: "src/component.ts", types: "src/generated" } });
    expect(Object.keys(manifest.scripts)).toEqual(expect.arrayContaining(["build", "dev", "typecheck", "lint", "test"]));

    const wit = await readFile(join(dir, "wit", "world.wit"), "utf8");
    expect(wit).toContain(`include airlock:capabilities/${world}@0.1.0;`);
    expect(wit).toMatch(/^package airlock:my-tool@0\.1\.0;\n\nworld my-tool \{/);
    const readme = await readFile(join(dir, "README.md"), "utf8");
    expect(readme).toContain("```wit\n" + wit.trimEnd() + "\n```");
    expect(await readFile(join(root, ".changeset", "new-tool-my-tool.md"), "utf8")).toContain('"@airlock/tool-my-tool": minor');
  });

  it("refuses a folder that already exists, and leaves it alone", async () => {
    await mkdir(join(root, "tools", "taken"), { recursive: true });
    await writeFile(join(root, "tools", "taken", "keep.txt"), "mine");
    await expect(scaffoldTool({ name: "taken", world: "pure", root })).rejects.toThrow("tools/taken already exists: pick another name or remove that folder first");
    expect(await readdir(join(root, "tools", "taken"))).toEqual(["keep.txt"]);
  });

  it("refuses a bad name before writing anything", async () => {
    await expect(scaffoldTool({ name: "Bad Name", world: "pure", root })).rejects.toBeInstanceOf(ScaffoldError);
    expect(existsSync(join(root, "tools"))).toBe(false);
  });

  it("refuses an unknown world and a folder that is not the workspace", async () => {
    await expect(scaffoldTool({ name: "ok", world: "env" as never, root })).rejects.toThrow('unknown world "env": choose one of pure, files, http');
    await rm(join(root, "pnpm-workspace.yaml"));
    await expect(scaffoldTool({ name: "ok", world: "pure", root })).rejects.toThrow("is not the Airlock workspace");
  });
});

describe("the create-tool command", () => {
  const bin = join(import.meta.dirname, "..", "bin", "create-tool.js");
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8" });

  it("exits 1 with one line for a bad name or a taken folder", async () => {
    const bad = run("Hello", "--world", "pure");
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('create-tool: "Hello" is not a valid tool name: use lowercase words of letters and digits joined by "-", each starting with a letter (e.g. word-count)');
    await mkdir(join(root, "tools", "taken"), { recursive: true });
    expect(run("taken", "--world", "pure").stderr.trim()).toBe("create-tool: tools/taken already exists: pick another name or remove that folder first");
  });

  it("exits 2 with the usage when the world is missing or unknown", () => {
    const missing = run("hello");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("create-tool: choose the capability world with --world pure|files|http");
    expect(run("hello", "--world", "env").stderr).toContain('unknown world "env"');
  });

  it("scaffolds without installing when asked, and prints the next commands", () => {
    const made = run("hello", "--world", "files", "--no-install");
    expect(made.status).toBe(0);
    expect(made.stdout).toMatch(/^created tools\/hello \(files world, \d+ files\) in \d+ ms\nnext:\n {2}pnpm install\n {2}pnpm --filter @airlock\/tool-hello build\n/);
  });
});
