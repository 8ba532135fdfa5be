// Large new buffers are marked for transparent huge pages before their first write: the decision
// is pure, and a real process shows the kernel backing a marked memory with huge pages.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { firstPageOffset, hugePageMode, worthHugePages } from "../../src/executor/huge-pages.js";

const exec = promisify(execFile);
const HUGE_PAGES = join(import.meta.dirname, "..", "..", "dist", "executor", "huge-pages.js");
const MiB = 1024 * 1024;

describe("hugePageMode", () => {
  it("reads the mode the kernel marks as chosen", () => {
    expect(hugePageMode("always [madvise] never\n")).toBe("madvise");
    expect(hugePageMode("[always] madvise never")).toBe("always");
    expect(hugePageMode("always madvise [never]")).toBe("never");
    expect(hugePageMode(undefined)).toBeUndefined();
  });
});

describe("worthHugePages", () => {
  it("marks buffers of 8 MiB or more, only where the kernel takes advice", () => {
    expect(worthHugePages("madvise", 37 * MiB)).toBe(true);
    expect(worthHugePages("madvise", 8 * MiB)).toBe(true);
    expect(worthHugePages("madvise", 8 * MiB - 1)).toBe(false);
    // "always" backs them unasked; "never" would ignore the advice; elsewhere there is no such thing.
    expect(worthHugePages("always", 37 * MiB)).toBe(false);
    expect(worthHugePages("never", 37 * MiB)).toBe(false);
    expect(worthHugePages(undefined, 37 * MiB)).toBe(false);
  });
});

describe("firstPageOffset", () => {
  it("finds the first whole page of a buffer (madvise takes page-aligned ranges only)", () => {
    expect(firstPageOffset(0x7f0000001000)).toBe(0);
    expect(firstPageOffset(0x7f0000001010)).toBe(4096 - 16);
    expect(firstPageOffset(0x7f0000001fff)).toBe(1);
  });
});

const kernelMode = process.platform === "linux" ? hugePageMode(readFileSync("/sys/kernel/mm/transparent_hugepage/enabled", "utf8")) : undefined;

describe.skipIf(kernelMode !== "madvise")("adviseHugePages, in a real process", () => {
  /** MiB of huge pages the process holds after filling a new 32 MiB buffer of `kind`, advised or not. */
  async function hugeAfterFilling(kind: "memory" | "shared", advise: boolean): Promise<number> {
    const script = `
      import { readFileSync } from "node:fs";
      import { adviseHugePages } from ${JSON.stringify(HUGE_PAGES)};
      const huge = () => Number(/AnonHugePages:\\s+(\\d+)/.exec(readFileSync("/proc/self/smaps_rollup", "utf8"))[1]) / 1024;
      const before = huge();
      const bytes = ${kind === "memory" ? "new Uint8Array(new WebAssembly.Memory({ initial: 512 }).buffer)" : "new Uint8Array(new SharedArrayBuffer(32 * 1024 * 1024))"};
      if (${advise}) adviseHugePages(bytes);
      bytes.fill(1);
      console.log(huge() - before);`;
    const { stdout } = await exec(process.execPath, ["--input-type=module", "-e", script]);
    return Number(stdout);
  }

  it("has a new linear memory and a shared buffer backed by huge pages when advised, and not otherwise", async () => {
    // Where the kernel has no free huge page it falls back to small ones: most, not all, is asked.
    expect(await hugeAfterFilling("memory", true)).toBeGreaterThanOrEqual(16);
    expect(await hugeAfterFilling("shared", true)).toBeGreaterThanOrEqual(16);
    expect(await hugeAfterFilling("memory", false)).toBe(0);
    expect(await hugeAfterFilling("shared", false)).toBe(0);
  });
});
