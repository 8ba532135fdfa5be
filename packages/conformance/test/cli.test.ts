// The CLI's contract: exit 2 on bad usage, exit 1 with one clear line when a tool cannot be
// checked (an unbuilt tool, a broken case file).
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
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
});
