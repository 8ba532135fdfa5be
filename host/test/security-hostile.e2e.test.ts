// Attacks by a hostile component with no grants at all (fixture hostile-guest), through the real
// CLI and a real MCP client over stdio: costly URI templates, floods of denials, log messages and
// progress, look-alike built-in tools, another component's prompts and resources, deep nesting,
// environment grants named like Object.prototype's properties, a call killed at its time limit.
import { appendFile, copyFile, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { LoggingMessageNotificationSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, connect, fixture, tempHome, type Connected, type TempHome } from "./helpers/airlock.js";

/** A store holding the hostile guest under `id` (its id decides what it lists). */
async function homeWith(id: string, ...others: string[]): Promise<TempHome> {
  const home = await tempHome();
  for (const other of others) expect((await airlock(home, "load", fixture(other))).stderr).toBe("");
  const copy = join(home.dir, `${id}.wasm`);
  await copyFile(fixture("hostile-guest"), copy);
  const loaded = await airlock(home, "load", copy);
  expect(loaded.stderr).toBe("");
  return home;
}

async function loadRefused(id: string, ...others: string[]): Promise<string> {
  const home = await tempHome();
  try {
    for (const other of others) await airlock(home, "load", fixture(other));
    const copy = join(home.dir, `${id}.wasm`);
    await copyFile(fixture("hostile-guest"), copy);
    const loaded = await airlock(home, "load", copy);
    expect(loaded.code).toBe(1);
    expect((await airlock(home, "list")).stdout).not.toContain(`${id}\t`);
    return loaded.stderr;
  } finally {
    await home.cleanup();
  }
}

const callOn =
  (mcp: Connected) =>
  async (name: string, args: Record<string, unknown> = {}) =>
    (await mcp.client.callTool({ name, arguments: args })) as CallToolResult;
const textOf = (r: CallToolResult) => r.content.map((c) => (c as { text?: string }).text ?? "").join("\n");

async function auditLines(home: TempHome): Promise<string[]> {
  const text = await readFile(join(home.dir, "audit.jsonl"), "utf8").catch(() => "");
  return text.split("\n").filter((line) => line.length > 0);
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
}

describe("a hostile component with no grants", () => {
  let home: TempHome;
  let mcp: Connected;
  let call: ReturnType<typeof callOn>;
  const logs: string[] = [];

  beforeAll(async () => {
    home = await homeWith("hostile-guest");
    // Floods take seconds inside the engine on a loaded machine: a generous time limit.
    mcp = await connect(home, "--timeout", "120s");
    mcp.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(String(n.params.data)));
    await mcp.client.setLoggingLevel("debug");
    call = callOn(mcp);
  });
  afterAll(async () => {
    await mcp?.close();
    await home?.cleanup();
  });

  it("ReDoS: a template of 24 variables and a literal does not freeze the host (10 reads at once, ping answers)", async () => {
    // With a backtracking regex this read kept ping waiting for 98 s.
    const uri = `x:x${"a".repeat(32)}`;
    const reads = Array.from({ length: 10 }, () =>
      mcp.client.readResource({ uri }).then(
        () => "read",
        (error: Error) => error.message,
      ),
    );
    const ping = await timed(mcp.client.ping());
    const answers = await Promise.all(reads);
    for (const answer of answers) expect(answer).toContain(`no resource ${uri}`);
    // Generous: an idle machine answers in about a millisecond; a frozen host never in time.
    expect(ping.ms).toBeLessThan(5_000);
    // A URI the template does match is read (the automaton matches, it does not only refuse).
    const matching = await mcp.client.readResource({ uri: `x:${"a".repeat(24)}!` });
    expect(matching.contents[0]).toMatchObject({ text: `captured x:${"a".repeat(24)}!` });
  });

  it("a template with more variables than allowed is refused at load, saying why", async () => {
    expect(await loadRefused("many-variables")).toContain("the URI template has more than 32 expressions");
  });

  it("a flood of 200,000 denied sockets in one call: one audit record with a count, the host's memory bounded", async () => {
    const before = (await stat(join(home.dir, "audit.jsonl")).catch(() => ({ size: 0 }))).size;
    const result = await call("deny_flood", { count: 200_000 });
    expect(textOf(result)).toContain("flooded");
    const after = (await stat(join(home.dir, "audit.jsonl"))).size;
    expect(after - before).toBeLessThan(1024 * 1024);
    const flood = (await auditLines(home)).map((l) => JSON.parse(l) as { tool: string; count?: number }).filter((r) => r.tool === "deny_flood");
    expect(flood).toHaveLength(1);
    expect(flood[0]!.count).toBe(200_000);
    const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${mcp.pid}/status`, "utf8"))![1]) / 1024;
    expect(hwm).toBeLessThan(400);
  });

  it("8 floods in parallel leave no spliced line, and airlock audit prints every record", async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => call("deny_flood", { count: 20_000 })));
    for (const result of results) expect(textOf(result)).toContain("flooded");
    const lines = await auditLines(home);
    for (const line of lines) expect(() => JSON.parse(line), line.slice(0, 200)).not.toThrow();
    const printed = await airlock(home, "audit");
    expect(printed.code).toBe(0);
    expect(printed.stderr).toBe("");
    expect(printed.stdout.trim().split("\n")).toHaveLength(lines.length);
    // A line spliced as the old writer spliced them is skipped and reported, not a crash.
    await appendFile(join(home.dir, "audit.jsonl"), '{"time":"t","component":"hostile-guest","tool":"denymode":"socket"}\n{"tool":"x"}\n');
    const damaged = await airlock(home, "audit");
    expect(damaged.code).toBe(0);
    expect(damaged.stderr).toContain(`airlock: skipped 2 damaged lines of ${join(home.dir, "audit.jsonl")} (lines ${lines.length + 1}, ${lines.length + 2})`);
    expect(damaged.stdout.trim().split("\n")).toHaveLength(lines.length);
  });

  it("a log flood is capped with a notice, and a 1 MiB message is cut", async () => {
    logs.length = 0;
    const result = await call("log_flood", { count: 20_000, size: 100 });
    expect(textOf(result)).toContain("logged");
    // The worker stops at 1,000 messages; a client slower than the guest may also see the host
    // drop some on the way (said in a notice of its own).
    const notices = logs.filter((l) => /further log messages of this call dropped|notifications of this call dropped/.test(l));
    expect(notices.length).toBeGreaterThanOrEqual(1);
    expect(notices.length).toBeLessThanOrEqual(2);
    expect(logs.length).toBeLessThanOrEqual(1002);
    logs.length = 0;
    await call("log_flood", { count: 1, size: 1024 * 1024 });
    expect(logs).toHaveLength(1);
    expect(logs[0]!.length).toBeLessThan(9 * 1024);
    expect(logs[0]).toContain("more characters cut");
  });

  it("a progress flood is capped, and NaN or Infinity never reach the client", async () => {
    const seen: number[] = [];
    const result = (await mcp.client.callTool({ name: "progress_flood", arguments: { count: 40_000 } }, undefined, { onprogress: (p) => void seen.push(p.progress) })) as CallToolResult;
    expect(textOf(result)).toContain("reported");
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThanOrEqual(1000);
    for (const [i, value] of seen.entries()) {
      expect(Number.isFinite(value)).toBe(true);
      if (i > 0) expect(value).toBeGreaterThan(seen[i - 1]!);
    }
  });

  it("structured content nested 4,000 or 100,000 levels fails at once with a clear error", async () => {
    for (const depth of [4_000, 100_000]) {
      const result = await call("nested", { depth });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain("nested deeper than 128 levels");
    }
    expect((await call("nested", { depth: 10 })).isError).toBeFalsy();
  });

  it("arguments nested 1,000 levels are refused before the guest runs", async () => {
    let nested: unknown = 1;
    for (let i = 0; i < 1_000; i++) nested = { a: nested };
    const result = await call("nested", { depth: 1, extra: nested });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("nested deeper than 128 levels");
  });

  it("environment grants named constructor, toString, valueOf or __proto__ do not break the component", async () => {
    for (const key of ["constructor", "toString", "valueOf", "__proto__"]) {
      expect((await airlock(home, "grant", "hostile-guest", "env", key)).code).toBe(0);
    }
    const result = await call("deny_flood", { count: 1 });
    expect(result.isError, textOf(result)).toBeFalsy();
    expect(textOf(result)).toContain("flooded");
  });
});

describe("a hostile component stopped at its time limit", () => {
  let home: TempHome;
  let mcp: Connected;

  beforeAll(async () => {
    home = await homeWith("hostile-guest");
    mcp = await connect(home, "--timeout", "2s");
  });
  afterAll(async () => {
    await mcp?.close();
    await home?.cleanup();
  });

  it("a call killed at its time limit still has its decisions audited and returned in _meta", async () => {
    const result = await callOn(mcp)("touch_then_spin");
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain("time limit of 2 s");
    const audit = result._meta?.["airlock/audit"] as { allowed: string[]; denied: string[] };
    expect(audit.denied).toEqual(["network socket tcp socket"]);
    expect(audit.allowed).toEqual(["environment read (none granted)"]);
    const records = (await auditLines(home)).map((line) => JSON.parse(line) as { tool: string; kind: string; count?: number });
    const spun = records.filter((r) => r.tool === "touch_then_spin");
    expect(spun.find((r) => r.kind === "network")?.count).toBe(5);
    expect(spun.some((r) => r.kind === "environment")).toBe(true);
    expect((await airlock(home, "audit", "hostile-guest")).stdout).toMatch(/touch_then_spin \w+ DENIED network socket tcp socket \(5 times\)/);
  });
});

describe("a component posing as the host or as another component", () => {
  it("a tool named Grant-Storage-Permission (a built-in's name in other case) is refused", async () => {
    expect(await loadRefused("impostor")).toContain(`"Grant-Storage-Permission", which reads as the name of one of the host's built-in tools`);
  });

  it("a 600 KiB tool title and 300 KiB prompt argument descriptions are refused", async () => {
    expect(await loadRefused("long-title")).toContain('the title of "titled" is 614400 characters; at most 256 are allowed');
    expect(await loadRefused("long-prompt-args")).toContain('the field arguments[0].description of "p" is too long');
  });

  it("another component's prompt names and resource URIs are refused at load", async () => {
    expect(await loadRefused("prompt-thief", "mcp-conformance")).toContain('prompt collision: "test_simple_prompt" is offered by both component "mcp-conformance" and component "prompt-thief"');
  });

  it("a catch-all template cannot take the URIs another component lists", async () => {
    expect(await loadRefused("catch-all", "mcp-conformance")).toContain(
      'resource collision: "test://static-text" is offered by both component "mcp-conformance" and component "catch-all"\'s template',
    );
  });

  it("an overlapping template does not receive URIs another component's template serves", async () => {
    const home = await homeWith("template-thief", "mcp-conformance");
    const mcp = await connect(home);
    try {
      await expect(mcp.client.readResource({ uri: "test://template/7/data" })).rejects.toThrow(/is offered by both "mcp-conformance" and "template-thief", so it is sent to neither/);
      // What only one of them offers is still read.
      expect((await mcp.client.readResource({ uri: "test://static-text" })).contents[0]).toMatchObject({ text: "This is the content of the static text resource." });
      expect((await mcp.client.readResource({ uri: "test://template/7/other" })).contents[0]).toMatchObject({ text: "captured test://template/7/other" });
    } finally {
      await mcp.close();
      await home.cleanup();
    }
  });
});
