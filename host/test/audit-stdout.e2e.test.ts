// serve --http --audit stdout: every audit record is one JSON line on standard output, with the
// replica's name, for a cluster's log collector; the file is not written. Over stdio, where stdout
// is the protocol, the flag is refused.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, fixture, serveHttp, tempHome, type TempHome } from "./helpers/airlock.js";
import { startOtlpReceiver, until, withoutOtel } from "./helpers/otlp-receiver.js";

let home: TempHome;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;

beforeAll(async () => {
  home = await tempHome();
  home.env = withoutOtel(home.env);
  expect((await airlock(home, "load", fixture("intruder"))).code).toBe(0);
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver?.server.close();
  await home?.cleanup();
});

describe("serve --audit stdout", () => {
  it("writes each record as a JSON line on stdout, with time, replica, component, tool, decision, call id and trace id", async () => {
    // Traces on, so that the records carry a trace id.
    const server = await serveHttp({ ...home, env: { ...home.env, ...receiver.env, AIRLOCK_REPLICA: "replica-7" } }, "--audit", "stdout");
    const client = new Client({ name: "audit-test", version: "0" });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { authorization: `Bearer ${server.token}` } } }));
      await client.callTool({ name: "environment", arguments: {} });
      await client.callTool({ name: "fetch-url", arguments: { url: "http://127.0.0.1:9/" } });
      const lines = () => server.stdout().split("\n").filter(Boolean);
      await until("two audit lines on stdout", () => lines().length >= 2);
      const records = lines().map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(records).toHaveLength(2);
      const common = { time: expect.any(String), replica: "replica-7", component: "intruder", callId: expect.stringMatching(/^[0-9a-f-]{36}$/), traceId: expect.stringMatching(/^[0-9a-f]{32}$/) };
      expect(records[0]).toMatchObject({ ...common, tool: "environment", decision: "allowed", kind: "environment", allowed: true });
      expect(records[1]).toMatchObject({ ...common, tool: "fetch-url", decision: "denied", kind: "network", target: "127.0.0.1:9", allowed: false });
      expect(Number.isNaN(Date.parse(records[0]!.time as string))).toBe(false);
      expect(records[0]!.callId).not.toBe(records[1]!.callId);
      // The collector has the records; the replica keeps no file of its own.
      await expect(stat(join(home.dir, "audit.jsonl"))).rejects.toThrow(/ENOENT/);
    } finally {
      await client.close();
      server.stop();
    }
  });

  it("is refused over stdio, where stdout carries the protocol", async () => {
    const served = await airlock(home, "serve", "--audit", "stdout");
    expect(served.code).toBe(2);
    expect(served.stderr).toContain("--audit stdout only applies to --http: over stdio, stdout carries the MCP protocol");
    expect(served.stdout).toBe("");
    const bad = await airlock(home, "serve", "--http", "127.0.0.1:0", "--audit", "syslog");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--audit needs file (records in $AIRLOCK_HOME/audit.jsonl) or stdout (one JSON line per record, for a log collector); got "syslog"');
  });
});
