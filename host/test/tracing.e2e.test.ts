// Traces: with the standard OTEL_* variables, `airlock serve --http` exports a call's spans over
// OTLP/HTTP to a collector (here a stand-in on 127.0.0.1), continuing the caller's trace, and the
// call's audit records carry that trace id. Without the variables, nothing is exported.
import { readFile } from "node:fs/promises";
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

/** Serves the store with `env` added, calls `environment` (a capability decision) once, and stops. */
async function callOnce(env: Record<string, string>, headers: Record<string, string> = {}, meta?: Record<string, string>): Promise<void> {
  const server = await serveHttp({ ...home, env: { ...home.env, ...env } });
  const client = new Client({ name: "tracing-test", version: "0" });
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { authorization: `Bearer ${server.token}`, ...headers } } }));
    expect((await client.callTool({ name: "environment", arguments: {}, ...(meta ? { _meta: meta } : {}) })).isError).toBeFalsy();
  } finally {
    await client.close();
    server.stop();
  }
}

const auditRecords = async () =>
  (await readFile(join(home.dir, "audit.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { tool: string; traceId?: string });

describe("traces", () => {
  it("exports the call's spans in one trace, continuing the caller's traceparent, and audits the trace id", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const callerSpan = "00f067aa0ba902b7";
    await callOnce(receiver.env, { traceparent: `00-${traceId}-${callerSpan}-01` });
    const names = ["tools/call environment", "airlock.validation", "airlock.policy", "airlock.executor", "airlock.component"];
    await until("the call's five spans", () => names.every((name) => receiver.spans.some((s) => s.name === name)));
    const span = (name: string) => receiver.spans.find((s) => s.name === name)!;
    for (const name of names) expect(span(name).traceId, name).toBe(traceId);
    expect(span("tools/call environment").parentSpanId).toBe(callerSpan);
    const request = span("tools/call environment").spanId;
    for (const name of ["airlock.validation", "airlock.policy", "airlock.executor"]) expect(span(name).parentSpanId, name).toBe(request);
    expect(span("airlock.component").parentSpanId).toBe(span("airlock.executor").spanId);
    expect(span("tools/call environment").attributes).toMatchObject({ "mcp.method.name": "tools/call", "gen_ai.tool.name": "environment", "airlock.component": "intruder" });
    expect(span("tools/call environment").resource["service.name"]).toBe("airlock");
    const records = (await auditRecords()).filter((r) => r.tool === "environment");
    expect(records).toHaveLength(1);
    expect(records[0]!.traceId).toBe(traceId);
  });

  it("starts a trace of its own when the request carries none, and names the service after OTEL_SERVICE_NAME", async () => {
    const before = receiver.spans.length;
    await callOnce({ ...receiver.env, OTEL_SERVICE_NAME: "airlock-replica" });
    await until("the request's span", () => receiver.spans.slice(before).some((s) => s.name === "tools/call environment"));
    const request = receiver.spans.slice(before).find((s) => s.name === "tools/call environment")!;
    expect(request.parentSpanId ?? "").toBe("");
    expect(request.resource["service.name"]).toBe("airlock-replica");
    expect((await auditRecords()).at(-1)!.traceId).toBe(request.traceId);
  });

  it("continues the trace in the request's _meta over the HTTP header's, and exports what is buffered when stopped", async () => {
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const header = "00-11111111111111111111111111111111-2222222222222222-01";
    // A batch delay far beyond the test: the spans can only arrive through the flush on SIGTERM.
    await callOnce({ ...receiver.env, OTEL_BSP_SCHEDULE_DELAY: "600000" }, { traceparent: header }, { traceparent: `00-${traceId}-b7ad6b7169203331-01` });
    await until("the request's span", () => receiver.spans.some((s) => s.traceId === traceId && s.name === "tools/call environment"));
    expect(receiver.spans.find((s) => s.traceId === traceId && s.name === "tools/call environment")!.parentSpanId).toBe("b7ad6b7169203331");
    expect(receiver.spans.some((s) => s.traceId === "11111111111111111111111111111111")).toBe(false);
  });

  it("exports nothing, and audits no trace id, without the OTEL variables or with OTEL_SDK_DISABLED=true", async () => {
    const before = receiver.spans.length;
    const hits = receiver.server.hits.get("/v1/traces") ?? 0;
    await callOnce({});
    expect((await auditRecords()).at(-1)!.traceId).toBeUndefined();
    await callOnce({ ...receiver.env, OTEL_SDK_DISABLED: "true" });
    expect((await auditRecords()).at(-1)!.traceId).toBeUndefined();
    // The exporting servers above sent their spans within 100 ms of each call; these would have too.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(receiver.spans.length).toBe(before);
    expect(receiver.server.hits.get("/v1/traces") ?? 0).toBe(hits);
  });
});
