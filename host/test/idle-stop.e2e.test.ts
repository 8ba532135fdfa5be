// A component's worker left idle is stopped (serve --idle-stop, default 5m): its threads and
// memory go back to the system, and with its last worker the component's compiled code and
// memory image; the next call starts a new worker (compiling again) that answers the same.
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, connect, tempHome, type Connected, type TempHome } from "./helpers/airlock.js";

const FILE_READER = join(import.meta.dirname, "..", "..", "tools", "file-reader", "dist", "file-reader.wasm");

let home: TempHome;
let documents: string;
let mcp: Connected;

beforeAll(async () => {
  home = await tempHome();
  expect((await airlock(home, "load", FILE_READER)).code).toBe(0);
  documents = await mkdtemp(join(tmpdir(), "airlock-idle-documents-"));
  await writeFile(join(documents, "notes.txt"), "first line\nsecond line\n");
  expect((await airlock(home, "grant", "file-reader", "storage", documents, "--access", "read")).code).toBe(0);
  mcp = await connect(home, "--idle-stop", "2s");
});
afterAll(async () => {
  await mcp?.close();
  await home?.cleanup();
  if (documents) await rm(documents, { recursive: true, force: true });
});

/** The host process's thread count and resident memory (MiB), from /proc. */
function usage(pid: number): { threads: number; rssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)![1]);
  return { threads: field("Threads"), rssMiB: field("VmRSS") / 1024 };
}

async function readNotes(): Promise<string> {
  const result = (await mcp.client.callTool({ name: "read-file", arguments: { path: join(documents, "notes.txt") } })) as CallToolResult;
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return result.content.map((c) => (c.type === "text" ? c.text : "")).join("");
}

/** Polls until `done` holds; the deadline is generous, as the machine may be loaded. */
async function eventually<T>(read: () => T, done: (value: T) => boolean, what: string): Promise<T> {
  for (let waited = 0; waited < 60_000; waited += 200) {
    const value = read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not happen within 60 s (last: ${JSON.stringify(read())})`);
}

describe("serve --idle-stop", () => {
  it("stops a component's idle worker, giving its threads, memory, code and image back, and starts a new one for the next call", { timeout: 180_000 }, async () => {
    const pid = mcp.pid!;
    expect(await readNotes()).toContain("second line");
    const running = usage(pid);

    // The worker and the WASI shim's I/O thread end; their heaps and the instance's memory go.
    const stopped = await eventually(
      () => usage(pid),
      (u) => u.threads <= running.threads - 2,
      "the idle worker's threads ending",
    );
    expect(stopped.rssMiB).toBeLessThan(running.rssMiB - 10);
    // With its last worker, the component's compiled code and memory image go from the host's
    // own thread too: ~72 MiB in all for the file reader (~22 with the worker alone).
    await eventually(
      () => usage(pid),
      (u) => u.rssMiB < running.rssMiB - 40,
      "the idle component's compiled code and image being let go",
    );

    // A new worker answers the next call as the first did.
    expect(await readNotes()).toContain("second line");
    expect(usage(pid).threads).toBeGreaterThanOrEqual(running.threads);
  });

  it("stops a worker started for a burst after a tenth of the idle stop, and keeps the last one", { timeout: 180_000 }, async () => {
    const burst = await connect(home, "--idle-stop", "10s", "--workers", "2");
    try {
      const pid = burst.pid!;
      const read = () => burst.client.callTool({ name: "read-file", arguments: { path: join(documents, "notes.txt") } }) as Promise<CallToolResult>;
      expect((await read()).isError).toBeFalsy();
      const one = usage(pid).threads;
      // Eight calls at once find the first worker busy: a second worker (and its I/O thread) starts.
      const answers = await Promise.all(Array.from({ length: 8 }, read));
      expect(answers.every((a) => !a.isError)).toBe(true);
      expect(usage(pid).threads).toBe(one + 2);
      // After ~1 s idle the second one stops; the first one stays for the whole 10 s.
      const after = await eventually(
        () => usage(pid),
        (u) => u.threads <= one,
        "the burst's worker stopping",
      );
      expect(after.threads).toBe(one);
      expect((await read()).isError).toBeFalsy();
      expect(usage(pid).threads).toBe(one);
    } finally {
      await burst.close();
    }
  });

  it("refuses a value that is not a duration, saying what it expects", async () => {
    const refused = await airlock(home, "serve", "--idle-stop", "soon");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--idle-stop soon: expected a duration such as 5m or 30s, or off");
  });
});
