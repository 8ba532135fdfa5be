// The audit log's writer and reader: records of concurrent appends never splice, the log rotates,
// and a damaged line is skipped and reported instead of breaking the reader.
import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AuditLog } from "../../src/audit/audit-log.js";
import type { Decision } from "../../src/executor/sandbox/decisions.js";

const dir = await mkdtemp(join(tmpdir(), "airlock-audit-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

const denial = (target: string): Decision => ({ kind: "network", target, mode: "socket", allowed: false, reason: "no sockets" });

describe("AuditLog", () => {
  it("concurrent appends of large calls leave only whole lines", async () => {
    const log = new AuditLog(join(dir, "concurrent.jsonl"), { budget: { bytes: 64 * 1024 * 1024, windowMs: 60_000 } });
    const big = Array.from({ length: 100 }, (_, i) => denial(`${"t".repeat(1000)}${i}`));
    await Promise.all(Array.from({ length: 16 }, (_, call) => log.append({ component: "c", tool: `t${call}`, callId: String(call) }, big)));
    const lines = (await readFile(join(dir, "concurrent.jsonl"), "utf8")).trim().split("\n");
    expect(lines).toHaveLength(1600);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it("rotates past its size and reads the rotated files first", async () => {
    const log = new AuditLog(join(dir, "rotating.jsonl"), { rotation: { maxBytes: 2000, keep: 2 } });
    for (let i = 0; i < 12; i++) await log.append({ component: "c", tool: "t", callId: String(i) }, [denial(`target-${i}-${"x".repeat(600)}`)]);
    const { entries } = await log.read();
    const ids = entries.map((e) => Number(e.callId));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids.at(-1)).toBe(11);
    expect(ids.length).toBeLessThan(12);
  });

  it("a writer whose file another process rotated, or someone removed, writes to the file now at the path", async () => {
    const file = join(dir, "shared.jsonl");
    // Two hosts on one store: each keeps its own descriptor open.
    const first = new AuditLog(file, { rotation: { maxBytes: 2000, keep: 3 } });
    const second = new AuditLog(file, { rotation: { maxBytes: 2000, keep: 3 } });
    await first.append({ component: "c", tool: "t", callId: "1" }, [denial("a")]);
    await second.append({ component: "c", tool: "t", callId: "2" }, [denial("b")]);
    // Past the size: the first writer renames the file to shared.jsonl.1 and starts a new one.
    await first.append({ component: "c", tool: "t", callId: "3" }, [denial("x".repeat(1550))]);
    await second.append({ component: "c", tool: "t", callId: "4" }, [denial("d")]);
    const ids = async (path: string) =>
      (await readFile(path, "utf8"))
        .trim()
        .split("\n")
        .map((line) => (JSON.parse(line) as { callId: string }).callId);
    expect(await ids(`${file}.1`)).toEqual(["1", "2"]);
    expect(await ids(file)).toEqual(["3", "4"]);

    await rm(file);
    await second.append({ component: "c", tool: "t", callId: "5" }, [denial("e")]);
    expect(await ids(file)).toEqual(["5"]);
  });

  it("a component flooding its calls cannot rotate the others' history out: past its budget it is counted, not itemized", async () => {
    let now = 0;
    const log = new AuditLog(join(dir, "budget.jsonl"), { budget: { bytes: 10_000, windowMs: 60_000 }, now: () => now });
    const many = Array.from({ length: 50 }, (_, i) => denial(`target-${i}`));
    for (let call = 0; call < 20; call++) await log.append({ component: "flooder", tool: "t", callId: String(call) }, many);
    await log.append({ component: "quiet", tool: "t", callId: "q" }, [denial("itemized")]);
    const { entries } = await log.read();
    const flooder = entries.filter((e) => e.component === "flooder");
    const summaries = flooder.filter((e) => e.target === "(not itemized)");
    expect(summaries.length).toBeGreaterThan(0);
    for (const s of summaries) expect(s.count).toBe(50);
    expect(flooder.length).toBeLessThan(20 * 50);
    expect(entries.find((e) => e.component === "quiet")?.target).toBe("itemized");
    // A new window itemizes again.
    now += 60_000;
    await log.append({ component: "flooder", tool: "t", callId: "later" }, [denial("itemized again")]);
    expect((await log.read()).entries.at(-1)?.target).toBe("itemized again");
  });

  it("a spliced or truncated line is skipped and reported, the rest is read", async () => {
    const file = join(dir, "damaged.jsonl");
    const log = new AuditLog(file);
    await log.append({ component: "c", tool: "t", callId: "1" }, [denial("a")]);
    await appendFile(file, '{"time":"x","component":"c","tool":"denymode":"socket"}\n{"time":"2026-01-01","component":"c"}\n{"trunc\n');
    await log.append({ component: "c", tool: "t", callId: "2" }, [denial("b")]);
    const { entries, damaged } = await log.read();
    expect(entries.map((e) => e.target)).toEqual(["a", "b"]);
    expect(damaged).toEqual([
      { file, line: 2 },
      { file, line: 3 },
      { file, line: 4 },
    ]);
  });
});
