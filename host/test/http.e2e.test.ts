// `airlock serve --http`: Streamable HTTP at /mcp, driven by the MCP SDK's HTTP client, and the
// requests a hostile web page or a broken client would send.
import { stat } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, fixture, serveHttp, tempHome, type TempHome } from "./helpers/airlock.js";
import { verifies } from "./requirements/requirements.js";

let home: TempHome;
let server: Awaited<ReturnType<typeof serveHttp>>;
let url: string;

beforeAll(async () => {
  home = await tempHome();
  await airlock(home, "load", fixture("troublemaker"));
  server = await serveHttp(home);
  url = server.url;
});
afterAll(async () => {
  server?.stop();
  await home?.cleanup();
});

/** fetch() will not send a Host header of our choosing; node:http will. */
const statusWithHost = (host: string) =>
  new Promise<number>((resolve, reject) => {
    const target = new URL(url);
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: "POST", headers: { host, "content-type": "application/json" } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on("error", reject);
    req.end("{}");
  });

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", body, headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${server.token}`, ...headers } });
const withToken = () => ({ requestInit: { headers: { authorization: `Bearer ${server.token}` } } });

describe("serve --http", () => {
  it("serves tools to the SDK's Streamable HTTP client, large arguments included", async () => {
    verifies("mcp:http:streamable");
    const client = new Client({ name: "http-test", version: "0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), withToken()));
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("shout");
    const big = "x".repeat(300_000);
    expect((await client.callTool({ name: "shout", arguments: { text: big, times: 0 } })).structuredContent).toEqual({ result: big });
    await client.close();
  });

  it("refuses a foreign Host header (DNS rebinding) and a foreign Origin, on every method", async () => {
    verifies("mcp:http:dns-rebinding");
    expect(await statusWithHost("evil.example")).toBe(403);
    expect((await post("{}", { origin: "https://evil.example" })).status).toBe(403);
    // Another port on localhost is another origin (a different local web app).
    expect((await post("{}", { origin: "http://localhost:9999" })).status).toBe(403);
    expect((await fetch(url, { headers: { origin: "https://evil.example", authorization: `Bearer ${server.token}` } })).status).toBe(403);
    expect((await fetch(url, { method: "DELETE", headers: { origin: "https://evil.example", authorization: `Bearer ${server.token}` } })).status).toBe(403);
  });

  it("refuses clients without the bearer token from $AIRLOCK_HOME/http-token (other local users)", async () => {
    verifies("contract:http:token");
    const initialize = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "x", version: "0" } } });
    const none = await post(initialize, { authorization: "" });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="airlock"');
    expect(((await none.json()) as { error: { message: string } }).error.message).toBe(
      `missing or wrong bearer token: send "Authorization: Bearer <token>" with the token in ${join(home.dir, "http-token")}`,
    );
    expect((await post(initialize, { authorization: `Bearer ${server.token!.slice(0, -1)}x` })).status).toBe(401);
    expect((await post(initialize, { authorization: `Bearer ${server.token}` })).status).toBe(200);
    expect((await stat(join(home.dir, "http-token"))).mode & 0o777).toBe(0o600);
  });

  it("answers malformed JSON with a JSON-RPC parse error, not an HTML page", async () => {
    const response = await post("{not json");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ jsonrpc: "2.0", error: { code: -32700, message: "parse error: the body is not valid JSON" }, id: null });
  });

  it("keeps sessions: requests without one or with an unknown one are refused, DELETE ends one", async () => {
    verifies("mcp:http:sessions");
    const noSession = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }));
    expect(noSession.status).toBe(400);
    expect(((await noSession.json()) as { error: { message: string } }).error.message).toBe("no Mcp-Session-Id header: send initialize first to start a session");
    const unknown = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }), { "mcp-session-id": "not-a-session" });
    expect(unknown.status).toBe(404);

    const transport = new StreamableHTTPClientTransport(new URL(url), withToken());
    const client = new Client({ name: "http-test", version: "0" });
    await client.connect(transport);
    const session = transport.sessionId!;
    expect(session).toMatch(/^[0-9a-f-]{36}$/);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await transport.terminateSession();
    const ended = await post(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }), { "mcp-session-id": session, "mcp-protocol-version": "2025-11-25" });
    expect(ended.status).toBe(404);
    await client.close();
  });
});

describe("serve --http --close-streams-after", () => {
  let resumable: Awaited<ReturnType<typeof serveHttp>>;
  let resumableHome: TempHome;
  beforeAll(async () => {
    resumableHome = await tempHome();
    await airlock(resumableHome, "load", fixture("mcp-conformance"));
    resumable = await serveHttp(resumableHome, "--close-streams-after", "300ms");
  });
  afterAll(async () => {
    resumable?.stop();
    await resumableHome?.cleanup();
  });

  it("closes a long call's stream mid-call, and the SDK's client resumes it with Last-Event-ID", async () => {
    verifies("mcp:http:resumability");
    const resumed: string[] = [];
    const watching: typeof fetch = (input, init) => {
      const lastEventId = new Headers(init?.headers).get("last-event-id");
      if (init?.method === "GET" && lastEventId) resumed.push(lastEventId);
      return fetch(input, init);
    };
    const transport = new StreamableHTTPClientTransport(new URL(resumable.url), {
      requestInit: { headers: { authorization: `Bearer ${resumable.token}` } },
      fetch: watching,
    });
    const client = new Client({ name: "resume-test", version: "0" });
    await client.connect(transport);
    const result = await client.callTool({ name: "test_reconnection", arguments: {} });
    expect(result.content).toEqual([{ type: "text", text: "Reconnection test completed" }]);
    expect(resumed).toHaveLength(1);
    await client.close();
  });
});
