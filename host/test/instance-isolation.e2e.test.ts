// No state passes from one call to the next, although an instance a call returned from is reset
// and serves the next call, and a new instance starts on the Memory its predecessor used
// (restored from the module's image): tests that fail if an instance's linear memory, globals or
// tables kept anything. memory-probe reads its own linear memory raw, byte by byte, and changes a
// global and a table; amnesiac keeps state where a JavaScript guest can (module variables,
// globalThis, a grown heap). Each runs after a normal call, a trap and memory growth.
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, connect, connectHttp, fixture, metricSum, metricsUrlOf, serveHttp, tempHome, type Connected, type TempHome } from "./helpers/airlock.js";

let home: TempHome;
let mcp: Connected;

const FILE_READER = join(import.meta.dirname, "..", "..", "tools", "file-reader", "dist", "file-reader.wasm");
let documents: string;

beforeAll(async () => {
  home = await tempHome();
  for (const name of ["memory-probe", "amnesiac", "handle-probe", "start-handle-probe", "file-opener"]) expect((await airlock(home, "load", fixture(name))).code).toBe(0);
  expect((await airlock(home, "load", FILE_READER)).code).toBe(0);
  // Outside the store: the host refuses to grant its own home.
  documents = await mkdtemp(join(tmpdir(), "airlock-isolation-documents-"));
  await writeFile(join(documents, "notes.txt"), "first line\nsecond line\n");
  for (const reader of ["file-reader", "file-opener"]) expect((await airlock(home, "grant", reader, "storage", documents, "--access", "read")).code).toBe(0);
  // One worker: every call runs where the previous one ran, on the Memory it left.
  mcp = await connect(home, "--workers", "1");
});
afterAll(async () => {
  await mcp?.close();
  await home?.cleanup();
  if (documents) await rm(documents, { recursive: true, force: true });
});

const call = async (name: string, args: Record<string, unknown> = {}) => (await mcp.client.callTool({ name, arguments: args })) as CallToolResult;
const result = async (name: string, args: Record<string, unknown> = {}) => {
  const answer = await call(name, args);
  expect(answer.isError, JSON.stringify(answer.content)).toBeFalsy();
  return (answer.structuredContent as { result: unknown }).result;
};

// The probe's memory: 2 pages to start; the default limit of 256 MiB allows a slack of 32 MiB.
const INITIAL_PAGES = 2;
const SLACK_PAGES = (32 * 1024 * 1024) / 65536;

describe("linear memory does not carry a secret to the next call", () => {
  it("finds no trace of a secret stashed by the previous call", async () => {
    expect(await result("stash", { secret: "probe secret: normal call" })).toBe(1);
    expect(await result("scan", { needle: "probe secret: normal call" })).toBe(0);
    // The stash counter lives in linear memory: a reused memory would count 2.
    expect(await result("stash", { secret: "probe secret: normal call" })).toBe(1);
  });

  it("finds no trace of a secret stashed just before a trap", async () => {
    const trapped = await call("stash-and-trap", { secret: "probe secret: before a trap" });
    expect(trapped.isError).toBe(true);
    expect(await result("scan", { needle: "probe secret: before a trap" })).toBe(0);
    expect(await result("stash", { secret: "another" })).toBe(1);
  });

  it("zeroes grown pages of a Memory it reuses: a secret in them is gone", async () => {
    const grown = INITIAL_PAGES + 16;
    expect(await result("stash-grown", { secret: "probe secret: grown pages", pages: 16 })).toBe(grown);
    expect(await result("scan", { needle: "probe secret: grown pages" })).toBe(0);
    // The Memory was reused (grown within the slack), so the zeroing above was what hid it.
    expect(await result("pages")).toBe(grown);
  });

  it("starts on a new Memory after growth past the slack", async () => {
    expect(await result("stash-grown", { secret: "probe secret: past the slack", pages: SLACK_PAGES + 16 })).toBeGreaterThan(INITIAL_PAGES + SLACK_PAGES);
    expect(await result("pages")).toBe(INITIAL_PAGES);
    expect(await result("scan", { needle: "probe secret: past the slack" })).toBe(0);
  });

  it("starts on a new Memory after a trap", async () => {
    expect(await result("stash-grown", { secret: "grow first", pages: 8 })).toBe(INITIAL_PAGES + 8);
    expect((await call("stash-and-trap", { secret: "then trap" })).isError).toBe(true);
    expect(await result("pages")).toBe(INITIAL_PAGES);
  });
});

describe("a module's globals and tables are as new at every call", () => {
  it("counts every call as the first in an i32 and an i64 global", async () => {
    expect(await result("count-global")).toBe(2);
    expect(await result("count-global")).toBe(2);
  });

  it("finds a table slot the previous call changed back as it was", async () => {
    expect(await result("swap-slot")).toBe(2);
    expect(await result("slot")).toBe(1);
  });

  it("finds a table the previous call grew at its first size", async () => {
    expect(await result("grow-slots")).toBe(3);
    expect(await result("slots")).toBe(2);
    expect(await result("slot")).toBe(1);
  });

  it("restores them after a trap and after memory growth too", async () => {
    expect(await result("swap-slot")).toBe(2);
    expect((await call("stash-and-trap", { secret: "trap after a swap" })).isError).toBe(true);
    expect(await result("slot")).toBe(1);
    expect(await result("count-global")).toBe(2);
    expect(await result("stash-grown", { secret: "grow", pages: 4 })).toBe(INITIAL_PAGES + 4);
    expect(await result("count-global")).toBe(2);
  });
});

describe("a JavaScript guest's state does not reach the next call", () => {
  it("counts every call as the first: module-level variable and globalThis", async () => {
    expect(await result("count")).toEqual([1, 1]);
    expect(await result("count")).toEqual([1, 1]);
  });

  it("counts every call as the first when the next call comes before a paced call's reset", async () => {
    // After a pause the worker resets the instance a few milliseconds after the answer; a call
    // sent the moment the answer arrives usually gets there first, and has the reset done before it.
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await result("count")).toEqual([1, 1]);
      expect(await result("count")).toEqual([1, 1]);
    }
  });

  it("forgets a remembered secret", async () => {
    expect(await result("remember", { secret: "js secret one" })).toEqual([null, null]);
    expect(await result("remember", { secret: "js secret two" })).toEqual([null, null]);
  });

  it("forgets a secret remembered just before a crash", async () => {
    expect((await call("remember-and-crash", { secret: "js secret before a crash" })).isError).toBe(true);
    expect(await result("remember", { secret: "after the crash" })).toEqual([null, null]);
    expect(await result("count")).toEqual([1, 1]);
  });

  it("forgets a secret after its heap grew, within the slack and past it", async () => {
    for (const megabytes of [8, 48]) {
      expect(await result("remember-grown", { secret: `js secret in ${megabytes} MiB`, megabytes })).toBe(megabytes);
      expect(await result("remember", { secret: "after growth" })).toEqual([null, null]);
      expect(await result("count")).toEqual([1, 1]);
    }
  });
});

describe("a tool holding WASI handles leaves none behind", () => {
  // handle-probe names handles by number, as a core module can. Its instance is reset after each
  // call: jco's handle tables emptied with it, what it held closed.
  it("numbers a call's first handle as a new instance would", async () => {
    const first = await result("hold");
    expect(await result("hold")).toBe(first);
    expect(await result("hold")).toBe(first);
  });

  it("refuses a handle the previous call kept", async () => {
    const kept = await result("hold");
    const answer = await call("ready", { handle: kept });
    expect(answer.isError).toBe(true);
    // No answer about the kept pollable (false, not ready): the number means nothing in this call.
    expect(JSON.stringify(answer.content)).toMatch(/trapped in ready/);
  });

  it("answers for a handle within the call that took it", async () => {
    // The probe itself works: the refusal above is the call boundary's.
    expect(await result("hold-and-ask")).toBe(false);
  });

  it("keeps a handle taken while instantiating: such an instance is made anew, not reset", async () => {
    // start-handle-probe's start function takes a pollable that is ready at once.
    const taken = await result("start-handle");
    for (let i = 0; i < 3; i++) expect(await result("ask-start")).toBe(true);
    for (let i = 0; i < 3; i++) expect(await result("take")).toBe(Number(taken) + 1);
  });

  // A pollable that is ready in an hour sets a timer in the host (~550 bytes with its closure): one
  // kept after the guest dropped the pollable would hold memory outside the guest's limit for that
  // hour. 80,000 dropped pollables grew the host by ~44 MiB before the shim was patched.
  it("keeps no timer for a pollable the guest dropped", { timeout: 120_000 }, async () => {
    const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${mcp.pid}/status`, "utf8"))![1]) / 1024;
    expect(await result("churn", { n: 20_000 })).toBe(true);
    const before = rssMiB();
    for (let i = 0; i < 4; i++) expect(await result("churn", { n: 20_000 })).toBe(true);
    expect(rssMiB() - before).toBeLessThan(16);
  });

  it("closes the files a guest opened before it trapped", { timeout: 120_000 }, async () => {
    const openFiles = () => readdirSync(`/proc/${mcp.pid}/fd`).length;
    expect(await result("open-keep", { n: 1 })).toBeGreaterThan(0);
    const before = openFiles();
    for (let i = 0; i < 10; i++) expect((await call("open-trap", { n: 20 })).isError).toBe(true);
    // 200 files opened: none left open (the garbage collector would close them some time later).
    expect(openFiles() - before).toBeLessThanOrEqual(4);
  });

  // The file reader opens a file at every call, and the guest leaves a descriptor open: when its
  // instance is reset, what it held is closed. A host that kept instances, or their handles, would
  // hold one more open file per call (300 calls show a leak of one as surely as 1,000).
  it("keeps the host's open file descriptors flat over 300 file-reader calls", { timeout: 120_000 }, async () => {
    const openFiles = () => readdirSync(`/proc/${mcp.pid}/fd`).length;
    const read = async () => expect(await result("read-file", { path: join(documents, "notes.txt") })).toMatchObject({ "total-lines": 2 });
    for (let i = 0; i < 20; i++) await read();
    const before = openFiles();
    for (let i = 0; i < 300; i++) await read();
    expect(openFiles() - before).toBeLessThanOrEqual(4);
  });
});

describe("the calls above are served by reset instances, not only new ones", () => {
  it("counts resets for every guest when calls return normally (WASI handles too), and a new instance after a trap", async () => {
    const server = await serveHttp(home, "--metrics", "127.0.0.1:0", "--workers", "1");
    const client = await connectHttp(server, "isolation-metrics");
    try {
      const metricsUrl = metricsUrlOf(server);
      const run = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;
      for (let i = 0; i < 3; i++) {
        expect((await run("count-global")).structuredContent).toEqual({ result: 2 });
        expect((await run("count")).structuredContent).toEqual({ result: [1, 1] });
        expect((await run("hold")).isError).toBeFalsy();
      }
      expect((await run("stash-and-trap", { secret: "trap" })).isError).toBe(true);
      const sample = (name: string, component: string) => metricSum(metricsUrl, name, component);
      // A reset follows its call's answer (a few milliseconds later when calls are paced apart).
      await expect.poll(() => sample("airlock_instance_resets_total", "memory-probe")).toBe(3);
      await expect.poll(() => sample("airlock_instance_resets_total", "amnesiac")).toBe(3);
      await expect.poll(() => sample("airlock_instance_resets_total", "handle-probe")).toBe(3);
      // One instance made at start, one after the trap.
      expect(await sample("airlock_instances_created_total", "memory-probe")).toBe(2);
    } finally {
      await client.close();
      server.stop();
    }
  });
});
