// The 2026-07-28 era over Streamable HTTP, beside the 2025 one on the same endpoint: the v2 SDK's
// client pinned to 2026-07-28 (no initialize, no session) discovers the server, calls the sample
// tools and the built-ins statelessly, and hears of store changes on subscriptions/listen; an old
// client keeps its session meanwhile; and two servers on one store answer one client's calls.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client as ModernClient } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, connectModernHttp, fixture, GRAMMAR_CHECKER, serveHttp, tempHome, type TempHome } from "./helpers/airlock.js";
import { Received } from "./helpers/notifications.js";
import { expectSampleToolsServed, type ToolResult } from "./helpers/sample-tools.js";
import { verifies } from "./requirements/requirements.js";

const TOOLS = join(import.meta.dirname, "..", "..", "tools");
const FILE_READER = join(TOOLS, "file-reader", "dist", "file-reader.wasm");
const FETCHER = join(TOOLS, "fetcher", "dist", "fetcher.wasm");
const MODERN = "2026-07-28";
const META = {
  "io.modelcontextprotocol/protocolVersion": MODERN,
  "io.modelcontextprotocol/clientCapabilities": {},
  "io.modelcontextprotocol/clientInfo": { name: "raw", version: "0" },
};

let home: TempHome;
let server: Awaited<ReturnType<typeof serveHttp>>;
let client: ModernClient;
let dir: string;

beforeAll(async () => {
  home = await tempHome();
  dir = await mkdtemp(join(tmpdir(), "airlock-modern-"));
  await writeFile(join(dir, "notes.md"), "first line\nsecond line\n");
  for (const file of [GRAMMAR_CHECKER, FILE_READER, FETCHER, fixture("mcp-conformance")]) expect((await airlock(home, "load", file)).code).toBe(0);
  server = await serveHttp(home);
  client = await connectModernHttp(server.url, server.token);
});
afterAll(async () => {
  await client?.close();
  server?.stop();
  await home?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

type Result = ToolResult;
const call = async (name: string, args: Record<string, unknown>, via: ModernClient = client) => (await via.callTool({ name, arguments: args })) as Result;

/** A raw POST, for what no SDK client would send. */
const post = async (body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(server.url, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${server.token}`, ...headers },
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: number; message: string; data?: Record<string, unknown> }; result?: Record<string, unknown> } };
};

describe("the 2026-07-28 era over HTTP", () => {
  it("answers server/discover with every version it speaks, no session and no initialize", async () => {
    verifies("mcp26:discover", "mcp26:stateless");
    expect(client.getProtocolEra()).toBe("modern");
    const discovered = await client.discover();
    expect(discovered.supportedVersions).toEqual([MODERN, "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", "2024-10-07"]);
    expect(discovered.capabilities.tools).toEqual({ listChanged: true });
    // The handshake era's session header never appears (a raw request names its version and method in headers too).
    const raw = await fetch(server.url, {
      method: "POST",
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "server/discover", params: { _meta: META } }),
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        authorization: `Bearer ${server.token}`,
        "mcp-protocol-version": MODERN,
        "mcp-method": "server/discover",
      },
    });
    expect(raw.status).toBe(200);
    expect(raw.headers.get("mcp-session-id")).toBeNull();
  });

  it("calls each sample tool statelessly: the grammar checker, the file reader with a grant, the fetcher denied without one", async () => {
    verifies("mcp26:stateless");
    await expectSampleToolsServed(call, dir);
  });

  it("tells a subscriptions/listen stream of a component another process loaded, and of one a stateless load-component loaded", async () => {
    verifies("mcp26:listen");
    const listener = await connectModernHttp(server.url, server.token);
    const changed = new Received<unknown>();
    listener.setNotificationHandler("notifications/tools/list_changed", (n) => changed.add(n));
    const subscription = await listener.listen({ toolsListChanged: true });
    expect(subscription.honoredFilter).toMatchObject({ toolsListChanged: true });

    const loaded = changed.next(() => true, "tools/list_changed after airlock load");
    expect((await airlock(home, "load", fixture("wat-scalars"))).code).toBe(0);
    await loaded;
    expect((await listener.listTools()).tools.map((t) => t.name)).toContain("scalar-u8");

    const builtin = changed.next(() => true, "tools/list_changed after load-component");
    expect((await call("load-component", { path: `file://${fixture("type-zoo")}` })).isError).toBeFalsy();
    await builtin;
    await subscription.close();
    await listener.close();
  });

  it("serves resources and prompts as the 2025 era does, with this era's code (and its URI) for a missing resource", async () => {
    expect((await client.listResources()).resources.map((r) => r.uri)).toContain("test://static-text");
    const read = await client.readResource({ uri: "test://static-text" });
    expect(read.contents[0]).toMatchObject({ uri: "test://static-text", text: "This is the content of the static text resource." });
    await expect(client.readResource({ uri: "test://nowhere" })).rejects.toMatchObject({ code: -32602, data: { uri: "test://nowhere" } });
    const prompt = await client.getPrompt({ name: "test_simple_prompt" });
    expect(prompt.messages.length).toBeGreaterThan(0);
  });

  it("answers a request for a version it does not speak with -32022 naming every version it does", async () => {
    verifies("mcp26:unsupported-version");
    const meta = { ...META, "io.modelcontextprotocol/protocolVersion": "1900-01-01" };
    const answer = await post({ jsonrpc: "2.0", id: 7, method: "tools/list", params: { _meta: meta } });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: -32022, data: { supported: [MODERN, "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", "2024-10-07"], requested: "1900-01-01" } });
  });

  it("answers a modern request without its required _meta keys with -32602 naming the key", async () => {
    verifies("mcp26:meta-required");
    const { "io.modelcontextprotocol/clientCapabilities": _dropped, ...meta } = META;
    const partial = await post({ jsonrpc: "2.0", id: 8, method: "tools/list", params: { _meta: meta } });
    expect(partial.status).toBe(400);
    expect(partial.body.error?.code).toBe(-32602);
    expect(partial.body.error?.message).toContain("io.modelcontextprotocol/clientCapabilities: missing");
    const none = await post({ jsonrpc: "2.0", id: 9, method: "tools/list", params: {} }, { "mcp-protocol-version": MODERN });
    expect(none.body.error?.code).toBe(-32602);
    expect(none.body.error?.message).toMatch(/missing the required per-request envelope key\(s\): _meta/);
    // The era has no GET stream and no session to delete.
    const get = await fetch(server.url, { headers: { accept: "text/event-stream", authorization: `Bearer ${server.token}`, "mcp-protocol-version": MODERN } });
    expect(get.status).toBe(405);
  });

  it("keeps the same Host, Origin and bearer-token checks in front of the modern route", async () => {
    verifies("mcp:http:dns-rebinding", "contract:http:token");
    const discover = { jsonrpc: "2.0", id: 10, method: "server/discover", params: { _meta: META } };
    expect((await post(discover, { authorization: "" })).status).toBe(401);
    expect((await post(discover, { origin: "https://evil.example" })).status).toBe(403);
  });

  it("serves an old client's session and a modern client's stateless calls side by side", async () => {
    verifies("mcp26:dual-era");
    const old = new Client({ name: "old-client", version: "0" });
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { authorization: `Bearer ${server.token}` } } });
    await old.connect(transport);
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const issues = async (result: Promise<unknown>) => ((await result) as Result & { structuredContent: { result: { rule: string }[] } }).structuredContent.result.map((i) => i.rule);
    const [oldIssues, newIssues] = await Promise.all([
      issues(old.callTool({ name: "check-grammar", arguments: { text: "an test" } })),
      issues(client.callTool({ name: "check-grammar", arguments: { text: "an test" } })),
    ]);
    expect(oldIssues).toEqual(["indefinite-article"]);
    expect(newIssues).toEqual(oldIssues);
    // One catalog whichever era asks: the same tools, and the tools capability discover names is
    // the one initialize gave the old client.
    const [oldTools, newTools] = await Promise.all([old.listTools(), client.listTools()]);
    expect(oldTools.tools.map((t) => t.name)).toContain("check-grammar");
    expect(newTools.tools).toEqual(oldTools.tools);
    expect((await client.discover()).capabilities.tools).toEqual(old.getServerCapabilities()?.tools);
    await old.close();
  });
});

describe("two servers on one store", () => {
  let second: Awaited<ReturnType<typeof serveHttp>>;
  beforeAll(async () => {
    second = await serveHttp(home);
  });
  afterAll(() => second?.stop());

  it("answer one client's stateless calls in turn", async () => {
    verifies("mcp26:stateless");
    expect(second.token).toBe(server.token);
    // Round-robin by hand: each request goes to the other server than the one before.
    const urls = [server.url, second.url];
    const served = new Map<string, string[]>(urls.map((u) => [u, []]));
    let next = 0;
    const roundRobin: typeof fetch = (_input, init) => {
      const url = urls[next++ % urls.length]!;
      const body = typeof init?.body === "string" ? (JSON.parse(init.body) as { method?: string }) : {};
      served.get(url)!.push(body.method ?? "");
      return fetch(url, init);
    };
    const balanced = await connectModernHttp(server.url, server.token, { fetch: roundRobin });
    for (const words of ["an test", "is is good", "an apple is is red"]) {
      const result = await call("check-grammar", { text: words }, balanced);
      expect(result.isError).toBeFalsy();
    }
    expect((await call("list-components", {}, balanced)).isError).toBeFalsy();
    for (const url of urls) expect(served.get(url), url).toContain("tools/call");
    await balanced.close();
  });
});
