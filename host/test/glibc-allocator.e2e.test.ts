// `serve` tunes glibc's allocator for itself (glibc-allocator.ts), so a host started without
// MALLOC_* variables (an MCP client's server entry) gives back what it frees. The pattern here is
// the host's own: V8 frees a buffer of ~31 MB (a component's compile), glibc raises its mmap
// threshold to that size, and the many ~256 KiB buffers that follow come from the heap, whose freed
// space glibc keeps while anything above them lives.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, tempHome, type TempHome } from "./helpers/airlock.js";

const exec = promisify(execFile);
const ALLOCATOR = join(import.meta.dirname, "..", "dist", "glibc-allocator.js");

/** Runs the pattern in a new Node process, tuned or not; the MiB it still holds once all is freed. */
async function keptAfterFreeing(env: NodeJS.ProcessEnv): Promise<{ kept: number; outcome: string }> {
  const script = `
    import { readFileSync } from "node:fs";
    import { tuneAllocator } from ${JSON.stringify(ALLOCATOR)};
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

describe("glibc's allocator", () => {
  it("gives back 100 MB of freed buffers once tuned; as glibc leaves it, keeps them", async () => {
    const tuned = await keptAfterFreeing(withoutMallocVariables());
    expect(tuned.outcome).toBe("glibc's allocator tuned: 2 arenas, mmap threshold 128 KiB");
    expect(tuned.kept).toBeLessThan(20);
    // The same pattern with the tuning left to an environment that asks for glibc's defaults.
    const untuned = await keptAfterFreeing({ ...withoutMallocVariables(), MALLOC_ARENA_MAX: "8" });
    expect(untuned.outcome).toBe("glibc's allocator left as it is: the environment sets MALLOC_ARENA_MAX");
    expect(untuned.kept).toBeGreaterThan(60);
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
        await expect.poll(() => mcp.stderr(), { timeout: 10_000 }).toContain("airlock: glibc's allocator tuned: 2 arenas, mmap threshold 128 KiB");
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
