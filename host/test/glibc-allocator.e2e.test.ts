// `serve` tunes glibc's allocator for itself (glibc-allocator.ts), so a host started without
// MALLOC_* variables (an MCP client's server entry) gives back what it frees. The pattern here is
// the host's own: V8 frees a buffer of ~31 MB (a component's compile), glibc raises its mmap
// threshold to that size, and the many ~256 KiB buffers that follow come from the heap, whose freed
// space glibc keeps while anything above them lives.
import { execFile } from "node:child_process";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, tempHome, type TempHome } from "./helpers/airlock.js";

const exec = promisify(execFile);
const ALLOCATOR = join(import.meta.dirname, "..", "dist", "glibc-allocator.js");

/** Runs the pattern in a new Node process, tuned or not; the MiB it still holds once all is freed. */
async function keptAfterFreeing(env: NodeJS.ProcessEnv, { trim = false } = {}): Promise<{ kept: number; outcome: string }> {
  const script = `
    import { readFileSync } from "node:fs";
    import { giveBackFreedMemory, tuneAllocator } from ${JSON.stringify(ALLOCATOR)};
    const rss = () => Number(/VmRSS:\\s+(\\d+)/.exec(readFileSync("/proc/self/status", "utf8"))[1]) / 1024;
    const outcome = tuneAllocator();
    const collect = async () => { gc(); await new Promise((r) => setTimeout(r, 10)); gc(); };
    let large = Buffer.allocUnsafeSlow(31 * 1024 * 1024).fill(1);
    large = null;
    await collect();
    const before = rss();
    const small = [];
    let buffers = Array.from({ length: 400 }, () => { small.push(Buffer.allocUnsafeSlow(2048)); return Buffer.allocUnsafeSlow(256 * 1024).fill(2); });
    buffers = null;
    await collect();
    if (${trim}) giveBackFreedMemory();
    console.log(JSON.stringify({ kept: rss() - before, outcome, small: small.length }));`;
  const { stdout } = await exec(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { env });
  return JSON.parse(stdout) as { kept: number; outcome: string };
}

const withoutMallocVariables = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.MALLOC_ARENA_MAX;
  delete env.MALLOC_MMAP_THRESHOLD_;
  delete env.GLIBC_TUNABLES;
  return env;
};

/** Arenas glibc has before and after four worker threads allocated, as malloc_stats prints them. */
async function arenasAroundWorkers(env: NodeJS.ProcessEnv): Promise<{ before: number; after: number; outcome: string }> {
  const script = `
    import { writeSync } from "node:fs";
    import { createRequire } from "node:module";
    import { Worker } from "node:worker_threads";
    import { tuneAllocator } from ${JSON.stringify(ALLOCATOR)};
    const outcome = tuneAllocator();
    const stats = createRequire(${JSON.stringify(ALLOCATOR)})("koffi").load("libc.so.6").func("void malloc_stats(void)");
    // glibc writes to fd 2 unbuffered: the markers go the same way, in order.
    writeSync(2, "@before\\n");
    stats();
    const allocate = 'const kept = []; for (let i = 0; i < 2000; i++) kept.push(Buffer.allocUnsafeSlow(1000)); require("node:worker_threads").parentPort.postMessage(kept.length);';
    const workers = Array.from({ length: 4 }, () => new Worker(allocate, { eval: true, execArgv: [] }));
    await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once("message", resolve))));
    writeSync(2, "@after\\n");
    stats();
    await Promise.all(workers.map((worker) => worker.terminate()));
    console.log(JSON.stringify(outcome));`;
  const { stdout, stderr } = await exec(process.execPath, ["--input-type=module", "-e", script], { env });
  const [, before = "", after = ""] = stderr.split(/@before\n|@after\n/);
  const arenas = (text: string) => (text.match(/^Arena \d+:/gm) ?? []).length;
  return { before: arenas(before), after: arenas(after), outcome: JSON.parse(stdout) as string };
}

describe.skipIf(process.platform !== "linux")("glibc's allocator", () => {
  it("gives back 100 MB of freed buffers once tuned; as glibc leaves it, keeps them", async () => {
    const tuned = await keptAfterFreeing(withoutMallocVariables());
    expect(tuned.outcome).toBe("glibc's allocator tuned: arenas capped at 2, mmap threshold fixed at 128 KiB");
    expect(tuned.kept).toBeLessThan(20);
    // The same pattern with the tuning left to an environment that asks for glibc's defaults.
    const untuned = await keptAfterFreeing({ ...withoutMallocVariables(), MALLOC_ARENA_MAX: "8" });
    expect(untuned.outcome).toBe("glibc's allocator left as it is: the environment sets MALLOC_ARENA_MAX");
    expect(untuned.kept).toBeGreaterThan(60);
  });

  it("hands what it keeps freed back to the system when asked (malloc_trim), tuned or not", async () => {
    const trimmed = await keptAfterFreeing({ ...withoutMallocVariables(), MALLOC_ARENA_MAX: "8" }, { trim: true });
    expect(trimmed.outcome).toBe("glibc's allocator left as it is: the environment sets MALLOC_ARENA_MAX");
    expect(trimmed.kept).toBeLessThan(20);
  });

  it("makes no new arena for the worker threads once tuned; as glibc leaves it, makes one per thread", async () => {
    const tuned = await arenasAroundWorkers(withoutMallocVariables());
    expect(tuned.outcome).toBe("glibc's allocator tuned: arenas capped at 2, mmap threshold fixed at 128 KiB");
    expect(tuned.before).toBeGreaterThan(0);
    expect(tuned.after).toBe(tuned.before);
    const untuned = await arenasAroundWorkers({ ...withoutMallocVariables(), MALLOC_ARENA_MAX: "64" });
    expect(untuned.after).toBeGreaterThanOrEqual(untuned.before + 3);
  });

  it("runs untuned and says why where koffi, an optional dependency, did not install", async () => {
    // The module alone in a folder with no node_modules (and no NODE_PATH, which pnpm sets):
    // koffi cannot be found from there.
    const alone = await mkdtemp(join(tmpdir(), "airlock-allocator-"));
    try {
      await copyFile(ALLOCATOR, join(alone, "glibc-allocator.js"));
      await writeFile(join(alone, "package.json"), JSON.stringify({ type: "module" }));
      const script = `import { tuneAllocator } from ${JSON.stringify(join(alone, "glibc-allocator.js"))}; console.log(tuneAllocator());`;
      const { stdout } = await exec(process.execPath, ["--input-type=module", "-e", script], { env: { ...withoutMallocVariables(), NODE_PATH: "" } });
      expect(stdout.trim()).toBe(
        "glibc's allocator left as it is: koffi, the optional dependency it is tuned through, is not installed (install @airlock/host with its optional dependencies to have it)",
      );
    } finally {
      await rm(alone, { recursive: true, force: true });
    }
  });

  describe("in serve", () => {
    let home: TempHome;
    beforeAll(async () => {
      home = await tempHome();
    });
    afterAll(async () => {
      await home?.cleanup();
    });

    it("is tuned when the environment sets nothing, and says so", async () => {
      const mcp = await connect({ ...home, env: { ...withoutMallocVariables(), AIRLOCK_HOME: home.dir } });
      try {
        await expect.poll(() => mcp.stderr(), { timeout: 10_000 }).toContain("airlock: glibc's allocator tuned: arenas capped at 2, mmap threshold fixed at 128 KiB");
      } finally {
        await mcp.close();
      }
    });

    it("leaves the environment's own settings in place", async () => {
      const mcp = await connect({ ...home, env: { ...withoutMallocVariables(), AIRLOCK_HOME: home.dir, MALLOC_MMAP_THRESHOLD_: "131072" } });
      try {
        await expect.poll(() => mcp.stderr(), { timeout: 10_000 }).toContain("airlock: glibc's allocator left as it is: the environment sets MALLOC_MMAP_THRESHOLD_");
      } finally {
        await mcp.close();
      }
    });
  });
});
