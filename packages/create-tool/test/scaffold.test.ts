// The scaffolder on its own, in a temporary fake workspace: names, refusals, and what it writes.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HOST_TOOL_NAMES, invalidDescriptionReason, invalidFunctionReason, invalidNameReason, ScaffoldError, scaffoldTool, TEMPLATE_NAMES, WORLDS } from "../src/index.js";
import { descriptionCheck } from "@airlock/conformance";
import { RESERVED_NAMES } from "@airlock/host";

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

describe("function names", () => {
  it.each(["count-words", "word-count", "csv2json"])("accepts %s", (fn) => {
    for (const world of WORLDS) expect(invalidFunctionReason(fn, world)).toBeUndefined();
  });

  it.each([
    ["Count", "pure", '--function "Count" is not a valid function name: use lowercase words of letters and digits joined by "-"'],
    ["record", "pure", '--function "record" is a WIT keyword: choose another with --function, e.g. --function my-record'],
    ["delete", "pure", "is a JavaScript reserved word, so src/component.ts could not export it: choose another with --function, e.g. --function my-delete"],
    ["grant-network-permission", "http", "is the name of one of the host's built-in MCP tools"],
    ["component", "pure", "is a name the pure sample already uses"],
    ["counts", "files", "is a name the files sample already uses"],
    ["fetch", "http", "is a name the http sample already uses"],
  ] as const)("refuses %j in the %s world, saying what to do", (fn, world, reason) => {
    expect(invalidFunctionReason(fn, world)).toContain(reason);
  });

  it("says --function is the way out when the tool's own name cannot name its function", () => {
    expect(invalidFunctionReason("new", "pure", true)).toBe(
      'the function is named after the tool by default, but "new" is a JavaScript reserved word, so src/component.ts could not export it: choose another with --function, e.g. --function my-new',
    );
  });

  it("knows every built-in tool of the host, and each sample's own names are valid identifiers", () => {
    expect([...HOST_TOOL_NAMES].sort()).toEqual([...RESERVED_NAMES].sort());
    for (const world of WORLDS) for (const name of TEMPLATE_NAMES[world]) expect(invalidNameReason(name)).toBeUndefined();
  });
});

describe("descriptions", () => {
  it.each([
    ["", "--description is empty: say in one sentence what the tool does"],
    ["Counts\nwords", "--description must be one line"],
    ["x".repeat(201), "--description is 201 characters"],
    ["TODO: later", "reads as a placeholder"],
  ])("refuses %j", (description, reason) => {
    expect(invalidDescriptionReason(description.replace("\\n", "\n"))).toContain(reason);
  });
});

/** Every generated file, path and contents, as one text to search. */
async function everything(dir: string): Promise<string> {
  const files = await allFiles(dir);
  return (await Promise.all(files.map(async (f) => `${f}\n${await readFile(join(dir, f), "utf8")}`))).join("\n");
}

describe("a scaffold named after its tool", () => {
  it.each(WORLDS)("%s: the function, its source module, test, docs and cases take the tool's name and description", async (world) => {
    const { dir, files, function: fn } = await scaffoldTool({ name: "word-count", world, root, description: "Counts words" });
    expect(fn).toBe("word-count");
    expect(files).toEqual(expect.arrayContaining(["tools/word-count/src/word-count.ts", "tools/word-count/test/word-count.test.ts"]));
    const all = await everything(dir);
    expect(all).not.toMatch(/greet/i);
    // The samples' former names, and the placeholder a description replaces.
    expect(all).not.toMatch(/\b(count-words|countWords|fetch-title|fetchTitle|CountError|PageError|TODO)\b/);
    expect(await readFile(join(dir, "src", "component.ts"), "utf8")).toContain('export const wordCount: Exports["wordCount"] = ');
    expect(await readFile(join(dir, "wit", "world.wit"), "utf8")).toMatch(/\/\/\/ Counts words\. .*\n {2}export word-count: func\(/);
    expect(JSON.parse(await readFile(join(dir, "package.json"), "utf8")).description).toBe("Counts words");
    expect(await readFile(join(dir, "README.md"), "utf8")).toMatch(/^# word-count\n\nCounts words\.\n/);
    expect(await readFile(join(dir, "policy.yaml"), "utf8")).toContain('description: "Counts words"');
    expect(await readFile(join(dir, "conformance.yaml"), "utf8")).toContain("tool: word-count\n");
  });

  it("names the function as --function says, and quotes a description with quotes in JSON and YAML", async () => {
    const { dir } = await scaffoldTool({ name: "word-count", world: "files", root, function: "count-words", description: 'Counts "words" in files' });
    expect(await readFile(join(dir, "src", "component.ts"), "utf8")).toContain('import { countText, CountWordsError } from "./count-words.js";');
    expect(existsSync(join(dir, "test", "count-words.test.ts"))).toBe(true);
    expect(JSON.parse(await readFile(join(dir, "package.json"), "utf8")).description).toBe('Counts "words" in files');
    expect(await readFile(join(dir, "policy.yaml"), "utf8")).toContain('description: "Counts \\"words\\" in files"');
  });

  it("without --description, says TODO where the description goes, and nowhere else", async () => {
    const { dir, described } = await scaffoldTool({ name: "word-count", world: "pure", root });
    expect(described).toBe(false);
    const placeholder = "TODO: say in one sentence what word-count does";
    expect(JSON.parse(await readFile(join(dir, "package.json"), "utf8")).description).toBe(placeholder);
    expect(await readFile(join(dir, "README.md"), "utf8")).toContain(`# word-count\n\n${placeholder}.\n`);
    expect(await readFile(join(dir, "wit", "world.wit"), "utf8")).toContain(`  /// ${placeholder}. Fails when the text is empty.\n`);
  });

  it.each(WORLDS)("%s: the conformance kit fails the untouched placeholder, file by file, and passes a described scaffold", async (world) => {
    const untouched = await scaffoldTool({ name: "word-count", world, root });
    const failed = descriptionCheck(untouched.dir);
    expect(failed.ok).toBe(false);
    expect(failed.message).toMatch(
      /^a placeholder, "TODO: say in one sentence what word-count does", is still in package\.json "description", README\.md:3, README\.md:\d+, wit\/world\.wit:\d+ \(a doc comment: the MCP description of what follows it\), policy\.yaml:\d+ \(description\): write there one sentence/,
    );
    const described = await scaffoldTool({ name: "counter", world, root, description: "Counts words" });
    expect(descriptionCheck(described.dir)).toMatchObject({ ok: true });
  });

  it("refuses a bad function name or description before writing anything", async () => {
    await expect(scaffoldTool({ name: "new", world: "pure", root })).rejects.toThrow("choose another with --function");
    await expect(scaffoldTool({ name: "ok", world: "pure", root, description: " " })).rejects.toThrow("--description is empty");
    expect(existsSync(join(root, "tools"))).toBe(false);
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
    expect(made.stdout).toMatch(/^created tools\/hello \(files world, \d+ files\) in \d+ ms\n/);
    expect(made.stdout).toContain("its function: hello (the MCP tool), sample logic in tools/hello/src/hello.ts\n");
    expect(made.stdout).toContain('no --description: package.json, README.md, policy.yaml and wit/world.wit say "TODO: ..."');
    expect(made.stdout).toMatch(/\nnext:\n {2}pnpm install\n {2}pnpm --filter @airlock\/tool-hello build\n/);
  });

  it("takes --description and --function, and exits 1 or 2 with what to do when they are wrong", () => {
    const made = run("word-count", "--world", "pure", "--description=Counts words", "--function", "count-words", "--no-install");
    expect(made.status).toBe(0);
    expect(made.stdout).toContain("its function: count-words");
    expect(made.stdout).not.toContain("no --description");
    const reserved = run("delete", "--world", "pure", "--no-install");
    expect(reserved.status).toBe(1);
    expect(reserved.stderr.trim()).toBe(
      'create-tool: the function is named after the tool by default, but "delete" is a JavaScript reserved word, so src/component.ts could not export it: choose another with --function, e.g. --function my-delete',
    );
    const missing = run("x", "--world", "pure", "--description", "--no-install");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('create-tool: --description needs a value, e.g. --description "Counts the words of a text"');
    expect(run("--help").stderr).toContain("--function NAME");
  });
});
