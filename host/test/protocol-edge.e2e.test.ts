// Bad input at the protocol edge, written as raw JSON-RPC to `airlock serve` over stdio and over
// Streamable HTTP: each gets the JSON-RPC error its kind calls for with a message that says what
// is wrong, and the host goes on serving (a normal call after each still works).
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, CLI, fixture, serveHttp, tempHome, type TempHome } from "./helpers/airlock.js";
import { verifies } from "./requirements/requirements.js";

interface Message {
  jsonrpc: string;
  id?: string | number | null;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

const clientInfo = { name: "edge-test", version: "0" };
const initialize = (id: number, protocolVersion: string) => JSON.stringify({ jsonrpc: "2.0", id, method: "initialize", params: { protocolVersion, capabilities: {}, clientInfo } });
const request = (id: number, method: string, params?: unknown) => JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });
const SIMPLE_TEXT = { content: [{ type: "text", text: "This is a simple text response for testing." }] };

let home: TempHome;

beforeAll(async () => {
  home = await tempHome();
  const loaded = await airlock(home, "load", fixture("mcp-conformance"));
  expect(loaded.code, loaded.stderr).toBe(0);
});
afterAll(async () => await home?.cleanup());

/** `airlock serve` over stdio, written to line by line; every line it writes is kept. */
class RawStdio {
  readonly received: Message[] = [];
  private readonly waiting: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  private stderr = "";

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stderr.on("data", (chunk: Buffer) => (this.stderr += String(chunk)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      // Anything on stdout that is not JSON fails the test here.
      const message = JSON.parse(line) as Message;
      this.received.push(message);
      for (const waiter of this.waiting.filter((w) => w.match(message))) {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    });
  }

  write(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** The first message received that matches, now or once it arrives. */
  next(match: (m: Message) => boolean): Promise<Message> {
    const found = this.received.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiting.push({ match, resolve }));
  }

  /** Writes a request and resolves with its answer. */
  async call(id: number, method: string, params?: unknown): Promise<Message> {
    this.write(request(id, method, params));
    return this.next((m) => m.id === id && ("result" in m || "error" in m));
  }

  /** Every error answered with id null so far (those of unreadable messages). */
  errorsWithoutId(): Message[] {
    return this.received.filter((m) => m.id === null);
  }

  stop(): void {
    this.child.kill();
  }

  log(): string {
    return this.stderr;
  }
}

describe("bad input over stdio", () => {
  let stdio: RawStdio;
  let nextId = 100;
  /** A normal call after the bad input: the host is still serving. */
  const stillServes = async () => {
    const answer = await stdio.call(nextId++, "tools/call", { name: "test_simple_text", arguments: {} });
    expect(answer.result, stdio.log()).toEqual(SIMPLE_TEXT);
    expect(stdio.child.exitCode).toBeNull();
  };

  beforeAll(async () => {
    stdio = new RawStdio(spawn(process.execPath, [CLI, "serve"], { env: home.env }));
    // The connection opens with a protocol version no server speaks.
    stdio.write(initialize(1, "1900-01-01"));
    await stdio.next((m) => m.id === 1);
    stdio.write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
  });
  afterAll(() => stdio?.stop());

  it("answers initialize with a version it does not speak with its latest one, and serves the session", async () => {
    verifies("mcp:lifecycle:version-negotiation");
    const answer = await stdio.next((m) => m.id === 1);
    expect(answer.result).toMatchObject({ protocolVersion: "2025-11-25", serverInfo: { name: "airlock" } });
    await stillServes();
  });

  it('answers tools/call with "arguments": null with -32602 naming the field', async () => {
    verifies("mcp:basic:invalid-params");
    const answer = await stdio.call(2, "tools/call", { name: "test_simple_text", arguments: null });
    expect(answer.error).toEqual({ code: -32602, message: "invalid tools/call request: arguments must be an object (leave it out when there are none), not null" });
    await stillServes();
  });

  it("answers other malformed params with -32602 too, never an internal error", async () => {
    verifies("mcp:basic:invalid-params");
    const prompt = await stdio.call(3, "prompts/get", { name: "test_prompt_with_arguments", arguments: null });
    expect(prompt.error).toEqual({ code: -32602, message: "invalid prompts/get request: arguments must be an object (leave it out when there are none), not null" });
    const value = await stdio.call(4, "prompts/get", { name: "test_prompt_with_arguments", arguments: { arg1: 1, arg2: "b" } });
    expect(value.error).toEqual({ code: -32602, message: "invalid prompts/get request: arguments.arg1 must be a string, not the number 1" });
    const noParams = await stdio.call(5, "tools/call");
    expect(noParams.error).toEqual({ code: -32602, message: "invalid tools/call request: params is missing: it must be an object" });
    // A well-formed request that fails for its own reason keeps its own message.
    const unknown = await stdio.call(6, "tools/call", { name: "no_such_tool" });
    expect(unknown.error?.message).toMatch(/^unknown tool "no_such_tool"/);
    await stillServes();
  });

  it("answers a line that is not JSON with -32700 and id null, and serves the next line", async () => {
    verifies("mcp:jsonrpc:parse-error");
    const before = stdio.errorsWithoutId().length;
    stdio.write("{not json");
    const answer = await stdio.next((m) => m.id === null && m.error?.code === -32700);
    expect(answer.error!.message).toMatch(/^parse error: not valid JSON \(.+\); send one JSON-RPC message per line$/);
    await stillServes();
    // An empty line is no message: nothing to answer.
    stdio.write("");
    await stillServes();
    expect(stdio.errorsWithoutId()).toHaveLength(before + 1);
  });

  it("answers JSON that is no JSON-RPC message (a batch included) with -32600 naming what is wrong", async () => {
    verifies("mcp:jsonrpc:invalid-request");
    stdio.write(JSON.stringify([{ jsonrpc: "2.0", id: 7, method: "ping" }]));
    const batch = await stdio.next((m) => m.id === null && m.error?.code === -32600);
    expect(batch.error!.message).toBe("invalid request: a JSON array (a batch): MCP does not take JSON-RPC batches, send each message on its own");
    // A request whose id can be read is answered under it.
    stdio.write(JSON.stringify({ jsonrpc: "1.0", id: 8, method: "ping" }));
    expect(await stdio.next((m) => m.id === 8)).toEqual({ jsonrpc: "2.0", id: 8, error: { code: -32600, message: 'invalid request: "jsonrpc" must be "2.0"' } });
    expect((await stdio.call(9, "ping", "not an object")).error).toEqual({ code: -32600, message: 'invalid request: "params" must be an object' });
    // A malformed response keeps id null: its id numbers the server's own requests.
    const before = stdio.errorsWithoutId().length;
    stdio.write(JSON.stringify({ jsonrpc: "2.0", id: 1, result: "not an object" }));
    await stillServes();
    expect(
      stdio
        .errorsWithoutId()
        .slice(before)
        .map((m) => m.error?.code),
    ).toEqual([-32600]);
  });

  it("answers an unknown method with -32601 naming it", async () => {
    verifies("mcp:jsonrpc:method-not-found");
    const answer = await stdio.call(10, "tools/frobnicate", {});
    expect(answer.error).toEqual({ code: -32601, message: "Method not found: tools/frobnicate" });
    // A method of the other protocol era is unknown to a 2025-11-25 connection, and named too.
    expect((await stdio.call(11, "server/discover", {})).error).toEqual({ code: -32601, message: "Method not found: server/discover" });
    await stillServes();
  });
});

describe("bad input over Streamable HTTP", () => {
  let server: Awaited<ReturnType<typeof serveHttp>>;
  let session: string;
  let nextId = 100;

  beforeAll(async () => {
    server = await serveHttp(home);
    const opened = await post(initialize(1, "1900-01-01"));
    expect(opened.status).toBe(200);
    session = opened.session!;
    expect((await post(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }), session)).status).toBe(202);
  });
  afterAll(() => server?.stop());

  /** POSTs `body` (in the session, if given); resolves with the status and the JSON-RPC answer. */
  async function post(body: string, inSession?: string): Promise<{ status: number; message?: Message; session?: string }> {
    const response = await fetch(server.url, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        authorization: `Bearer ${server.token}`,
        ...(inSession ? { "mcp-session-id": inSession, "mcp-protocol-version": "2025-11-25" } : {}),
      },
    });
    const text = await response.text();
    // An answer comes as JSON or as the last data line of an SSE stream.
    const json = response.headers.get("content-type")?.startsWith("text/event-stream")
      ? text
          .split("\n")
          .filter((line) => line.startsWith("data: {"))
          .at(-1)
          ?.slice("data: ".length)
      : text;
    return { status: response.status, message: json ? (JSON.parse(json) as Message) : undefined, session: response.headers.get("mcp-session-id") ?? undefined };
  }

  const call = async (method: string, params?: unknown) => (await post(request(nextId++, method, params), session)).message!;
  const stillServes = async () => expect((await call("tools/call", { name: "test_simple_text", arguments: {} })).result).toEqual(SIMPLE_TEXT);

  it("answers initialize with a version it does not speak with its latest one, and a supported one with itself", async () => {
    verifies("mcp:lifecycle:version-negotiation");
    const unsupported = await post(initialize(2, "2099-01-01"));
    expect(unsupported.message?.result).toMatchObject({ protocolVersion: "2025-11-25" });
    const older = await post(initialize(3, "2025-06-18"));
    expect(older.message?.result).toMatchObject({ protocolVersion: "2025-06-18" });
    // The session opened with 1900-01-01 runs on the version it was answered.
    await stillServes();
  });

  it('answers tools/call with "arguments": null with -32602 naming the field', async () => {
    verifies("mcp:basic:invalid-params");
    expect((await call("tools/call", { name: "test_simple_text", arguments: null })).error).toEqual({
      code: -32602,
      message: "invalid tools/call request: arguments must be an object (leave it out when there are none), not null",
    });
    expect((await call("prompts/get", { name: "test_prompt_with_arguments", arguments: null })).error?.code).toBe(-32602);
    await stillServes();
  });

  it("answers a body that is not JSON with -32700, and one that is no JSON-RPC message with -32600", async () => {
    verifies("mcp:jsonrpc:parse-error", "mcp:jsonrpc:invalid-request");
    const garbage = await post("{not json", session);
    expect(garbage).toMatchObject({ status: 400, message: { id: null, error: { code: -32700 } } });
    const notMessage = await post(JSON.stringify({ jsonrpc: "2.0", id: 5 }), session);
    expect(notMessage.status).toBe(400);
    expect(notMessage.message).toEqual({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32600, message: 'invalid request: not a JSON-RPC request, notification or response (a request has "method" and "id", a response "id" and "result" or "error")' },
    });
    const badParams = await post(request(6, "ping", "not an object"), session);
    expect(badParams.message).toEqual({ jsonrpc: "2.0", id: 6, error: { code: -32600, message: 'invalid request: "params" must be an object' } });
    await stillServes();
  });

  it("answers an unknown method with -32601 naming it", async () => {
    verifies("mcp:jsonrpc:method-not-found");
    expect((await call("tools/frobnicate", {})).error).toEqual({ code: -32601, message: "Method not found: tools/frobnicate" });
    await stillServes();
  });
});
