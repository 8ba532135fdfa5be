// The CLI's contract: exit 2 on bad usage, exit 1 with one clear line when a tool cannot be
// checked (an unbuilt tool, a broken case file).
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const exec = promisify(execFile);
const BIN = join(import.meta.dirname, "..", "bin", "airlock-conformance.js");

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    return { code: 0, ...(await exec(process.execPath, [BIN, ...args])) };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "conformance-cli-"));
  await mkdir(join(dir, "unbuilt"));
  await writeFile(join(dir, "unbuilt", "package.json"), JSON.stringify({ name: "@airlock/tool-unbuilt" }));
  await mkdir(join(dir, "bad-cases", "dist"), { recursive: true });
  await writeFile(join(dir, "bad-cases", "package.json"), "{}");
  await writeFile(join(dir, "bad-cases", "dist", "bad-cases.wasm"), "");
  await writeFile(join(dir, "bad-cases", "conformance.yaml"), "cases:\n  - name: x\n    tool: t\n    expect: { reslt: 1 }\n");
  // A tool whose component is older than its source: the author changed it and did not rebuild.
  await mkdir(join(dir, "stale", "dist"), { recursive: true });
  await mkdir(join(dir, "stale", "src"));
  await writeFile(join(dir, "stale", "package.json"), JSON.stringify({ name: "@airlock/tool-stale" }));
  await writeFile(join(dir, "stale", "dist", "stale.wasm"), "");
  await utimes(join(dir, "stale", "dist", "stale.wasm"), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  await writeFile(join(dir, "stale", "src", "component.ts"), "export {};\n");
  await writeFile(join(dir, "unclosed.yaml"), "cases:\n  - name: a\n    tool: x\n    arguments: { a: 1\n    expect:\n      result: 1\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("airlock-conformance", () => {
  it("exits 2 on bad usage", async () => {
    expect(await run()).toMatchObject({ code: 2, stderr: expect.stringContaining("usage: airlock-conformance <tool-dir | component.wasm>") });
    expect(await run(dir, "--world")).toMatchObject({ code: 2, stderr: expect.stringContaining("--world needs a value") });
    expect(await run(dir, "--fast")).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown option --fast") });
    expect(await run(join(dir, "nothing-here"))).toMatchObject({ code: 2, stderr: expect.stringContaining("does not exist") });
  });

  it("fails an unbuilt tool with what to run, never skipping it", async () => {
    const result = await run(join(dir, "unbuilt"));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`airlock-conformance: ${join(dir, "unbuilt", "dist", "unbuilt.wasm")} does not exist: run pnpm build first (or pnpm --filter @airlock/tool-unbuilt build)\n`);
  });

  it("fails a broken case file naming the file, the case and the key", async () => {
    const result = await run(join(dir, "bad-cases"));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${join(dir, "bad-cases", "conformance.yaml")}: cases[0] ("x").expect.reslt: unknown key (expected one of result, contains, error, denied)`);
  });

  it("refuses to check a component older than its source, saying what to rebuild", async () => {
    const result = await run(join(dir, "stale"));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("stale.wasm is older than");
    expect(result.stdout).toContain("src/component.ts: rebuild the tool first (pnpm --filter @airlock/tool-stale build)");
  });

  it("says where a case file's YAML breaks and what it found there", async () => {
    const result = await run(join(dir, "bad-cases"), "--cases", join(dir, "unclosed.yaml"));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("not valid YAML: ");
    expect(result.stderr).toContain("(near: arguments: { a: 1); an unclosed { or [ earlier in the file is often the cause");
  });

  it("fails a case file that leaves a tool uncalled, naming the tools", async () => {
    const cases = join(dir, "one-tool.yaml");
    await writeFile(cases, 'cases:\n  - name: refuses a relative path\n    tool: read-file\n    arguments: { path: "notes.md" }\n    expect: { error: "is not an absolute path" }\n');
    const result = await run(join(import.meta.dirname, "..", "..", "..", "tools", "file-reader"), "--cases", cases);
    expect(result.code).toBe(1);
    expect(result.stdout.split("\n").filter((l) => l.startsWith("✗"))).toEqual([
      `✗ every tool has a case: no case in ${cases} calls list-directory, search-files, file-metadata: add a case for each, or a bug in them goes unseen`,
      // The file reader's world needs storage grants, and this case file gives none.
      expect.stringMatching(/^✗ no grants: the tool's world needs storage grants/),
    ]);
  }, 60_000);
});
