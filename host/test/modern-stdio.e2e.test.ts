// The 2026-07-28 era over stdio: the same `airlock serve` answers an old client's initialize and
// a v2 client pinned to 2026-07-28 (server/discover, stateless calls, subscriptions/listen), and
// refuses what the SDK would let through on a pinned connection.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Client as ModernClient } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, CLI, connect, connectModernStdio, fixture, GRAMMAR_CHECKER, tempHome, type Connected, type TempHome } from "./helpers/airlock.js";
import { Received } from "./helpers/notifications.js";
import { expectSampleToolsServed, type ToolResult } from "./helpers/sample-tools.js";
import { verifies } from "./requirements/requirements.js";

const TOOLS = join(import.meta.dirname, "..", "..", "tools");
const FILE_READER = join(TOOLS, "file-reader", "dist", "file-reader.wasm");
const FETCHER = join(TOOLS, "fetcher", "dist", "fetcher.wasm");
const MODERN = "2026-07-28";
const SERVED = [MODERN, "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", "2024-10-07"];
const META = { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {}, "io.modelcontextprotocol/clientInfo": { name: "raw", version: "0" } };

let home: TempHome;
let client: ModernClient;
let dir: string;

beforeAll(async () => {
  home = await tempHome();
  dir = await mkdtemp(join(tmpdir(), "airlock-modern-stdio-"));
  await writeFile(join(dir, "notes.md"), "first line\nsecond line\n");
  for (const file of [GRAMMAR_CHECKER, FILE_READER, FETCHER]) expect((await airlock(home, "load", file)).code).toBe(0);
  client = await connectModernStdio(home);
});
afterAll(async () => {
  await client?.close();
  await home?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

type Result = ToolResult;
const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as Result;

type Answer = { id: number; result?: Record<string, unknown>; error?: { code: number; message: string; data?: Record<string, unknown> } };

/** `airlock serve` driven line by line, for what no SDK client would send. */
function rawServe(): { request(message: { id: number; method: string; params?: unknown }): Promise<Answer>; close(): void } {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [CLI, "serve"], { env: home.env });
  const waiting = new Map<number, (answer: Answer) => void>();
  createInterface({ input: child.stdout }).on("line", (line) => {
    const answer = JSON.parse(line) as Answer;
    waiting.get(answer.id)?.(answer);
  });
  return {
    request: (message) => {
      const answered = new Promise<Answer>((resolve) => waiting.set(message.id, resolve));
      child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
      return answered;
    },
    close: () => child.kill(),
  };
}

describe("the 2026-07-28 era over stdio", () => {
  it("answers server/discover with every version it speaks", async () => {
    verifies("mcp26:discover");
    expect(client.getProtocolEra()).toBe("modern");
    const discovered = await client.discover();
    expect(discovered.supportedVersions).toEqual(SERVED);
    expect(discovered.capabilities.tools).toEqual({ listChanged: true });
  });

  it("calls each sample tool: the grammar checker, the file reader with a grant, the fetcher denied without one", async () => {
    verifies("mcp26:stateless");
    await expectSampleToolsServed(call, dir);
  });

  it("tells a subscriptions/listen stream of a component another process loaded", async () => {
    verifies("mcp26:listen");
    const changed = new Received<unknown>();
    client.setNotificationHandler("notifications/tools/list_changed", (n) => changed.add(n));
    const subscription = await client.listen({ toolsListChanged: true });
    const loaded = changed.next(() => true, "tools/list_changed after airlock load");
    expect((await airlock(home, "load", fixture("wat-scalars"))).code).toBe(0);
    await loaded;
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("scalar-u8");
    await subscription.close();
  });

  it("answers an old client's initialize and a modern client at the same time, from the same command", async () => {
    verifies("mcp26:dual-era");
    const old: Connected = await connect(home);
    try {
      const [oldResult, newResult] = await Promise.all([
        old.client.callTool({ name: "check-grammar", arguments: { text: "an test" } }),
        client.callTool({ name: "check-grammar", arguments: { text: "an test" } }),
      ]);
      expect(newResult.structuredContent).toEqual(oldResult.structuredContent);
      expect(old.client.getServerVersion()?.name).toBe("airlock");
    } finally {
      await old.close();
    }
  });

  it("connects a negotiating client (mode auto) in the 2026-07-28 era", async () => {
    const auto = await connectModernStdio(home, { mode: "auto" });
    try {
      expect(auto.getProtocolEra()).toBe("modern");
      expect((await auto.listTools()).tools.map((t) => t.name)).toContain("check-grammar");
    } finally {
      await auto.close();
    }
  });
});

describe("requests the SDK would let through on a 2026-07-28 connection", () => {
  let raw: ReturnType<typeof rawServe>;
  beforeAll(async () => {
    raw = rawServe();
    // A 2026-07-28 request opens the connection and pins it to that era.
    expect((await raw.request({ id: 1, method: "tools/list", params: { _meta: META } })).result).toBeDefined();
  });
  afterAll(() => raw?.close());

  it("answers a request for a version the host does not speak with -32022 naming every version it does", async () => {
    verifies("mcp26:unsupported-version");
    const answer = await raw.request({ id: 2, method: "tools/list", params: { _meta: { ...META, "io.modelcontextprotocol/protocolVersion": "1900-01-01" } } });
    expect(answer.error).toMatchObject({ code: -32022, data: { supported: SERVED, requested: "1900-01-01" } });
  });

  it("answers a request missing a required _meta key with -32602 naming it", async () => {
    verifies("mcp26:meta-required");
    const { "io.modelcontextprotocol/clientCapabilities": _dropped, ...partial } = META;
    const noCapabilities = await raw.request({ id: 3, method: "tools/list", params: { _meta: partial } });
    expect(noCapabilities.error?.code).toBe(-32602);
    expect(noCapabilities.error?.message).toContain('this tools/list request has no "io.modelcontextprotocol/clientCapabilities"');
    const noMeta = await raw.request({ id: 4, method: "tools/list", params: {} });
    expect(noMeta.error?.code).toBe(-32602);
    expect(noMeta.error?.data).toEqual({ envelope: { missing: ["io.modelcontextprotocol/protocolVersion", "io.modelcontextprotocol/clientCapabilities"] } });
    // And the connection goes on.
    expect((await raw.request({ id: 5, method: "tools/list", params: { _meta: META } })).result).toBeDefined();
  });
});
