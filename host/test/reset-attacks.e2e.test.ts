// Attacks on the reset between calls that instance-isolation.e2e.test.ts does not make: state a
// reset instance must not carry to the next call, although each call below is served by a reset
// instance of one worker (checked on the metrics). reset-probe keeps a bit in the sign of a float
// zero, and shares one module's memory, table and globals with another module through imports;
// glue-state-probe keeps a string and a handle count in jco's glue via canonical built-ins.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { airlock, connectHttp, fixture, metricSum, metricsUrlOf, serveHttp, tempHome, type TempHome } from "./helpers/airlock.js";

let home: TempHome;
let server: Awaited<ReturnType<typeof serveHttp>>;
let client: Client;
let metricsUrl: string;

beforeAll(async () => {
  home = await tempHome();
  for (const name of ["reset-probe", "glue-state-probe"]) expect((await airlock(home, "load", fixture(name))).code).toBe(0);
  server = await serveHttp(home, "--metrics", "127.0.0.1:0", "--workers", "1");
  metricsUrl = metricsUrlOf(server);
  client = await connectHttp(server, "reset-attacks");
});
afterAll(async () => {
  await client?.close();
  server?.stop();
  await home?.cleanup();
});

const call = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;
const result = async (name: string, args: Record<string, unknown> = {}) => {
  const answer = await call(name, args);
  expect(answer.isError, JSON.stringify(answer.content)).toBeFalsy();
  return (answer.structuredContent as { result: unknown }).result;
};
const resets = (component: string) => metricSum(metricsUrl, "airlock_instance_resets_total", component);

describe("reset-probe: core state a reset must put back", () => {
  it("restores globals, a table and memory another module reached through imports", async () => {
    expect(await result("peek")).toBe(2);
    expect(await result("poke")).toBe(1);
    expect(await result("peek")).toBe(2);
  });

  it("restores the sign of a float zero", async () => {
    expect(await result("recall")).toBe(0);
    expect(await result("remember", { bit: 1 })).toBe(1);
    expect(await result("recall")).toBe(0);
  });

  it("served those calls from reset instances", async () => {
    expect(await resets("reset-probe")).toBeGreaterThanOrEqual(5);
  });
});

describe("glue-state-probe: state in jco's glue", () => {
  it("does not hand an error context's message to the next call", async () => {
    expect(await result("keep", { secret: "glue secret" })).toBe(1);
    const next = await call("message", { handle: 1 });
    expect(next.isError, JSON.stringify(next.content)).toBe(true);
    expect(JSON.stringify(next.content)).not.toContain("glue secret");
  });

  it("gives every call's first waitable set the first handle", async () => {
    expect(await result("new-set")).toBe(1);
    expect(await result("new-set")).toBe(1);
  });

  it("gets a new instance for every call instead of a reset", async () => {
    expect(await resets("glue-state-probe")).toBe(0);
  });
});
