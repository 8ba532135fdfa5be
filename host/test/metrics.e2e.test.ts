// serve --metrics: the real CLI serving over HTTP, called by the MCP SDK's client, scraped on its
// metrics listener. The counts must be exactly the calls made, by outcome; the listener answers
// nothing but /metrics, and the MCP port does not answer /metrics.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, connectHttp, fixture, metricsUrlOf, serveHttp, tempHome, type TempHome } from "./helpers/airlock.js";
import { until, withoutOtel } from "./helpers/otlp-receiver.js";

let home: TempHome;
let server: Awaited<ReturnType<typeof serveHttp>>;
let client: Client;
let metricsUrl: string;

beforeAll(async () => {
  home = await tempHome();
  home.env = withoutOtel(home.env);
  for (const name of ["troublemaker", "intruder"]) expect((await airlock(home, "load", fixture(name))).code).toBe(0);
  server = await serveHttp(home, "--metrics", "127.0.0.1:0", "--timeout", "2s");
  metricsUrl = metricsUrlOf(server);
  client = await connectHttp(server, "metrics-test");
});
afterAll(async () => {
  await client?.close();
  server?.stop();
  await home?.cleanup();
});

const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;

/** The scraped samples, by name and labels in a fixed order: `name{a="1",b="2"}` -> value. */
async function scrape(url = metricsUrl): Promise<Map<string, number>> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split("\n")) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels = [...(match[2] ?? "").matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => `${k}="${v}"`).sort();
    samples.set(labels.length ? `${match[1]}{${labels.join(",")}}` : match[1]!, Number(match[3]));
  }
  return samples;
}

const calls = (component: string, tool: string, outcome: string) => `airlock_tool_calls_total{component="${component}",outcome="${outcome}",tool="${tool}"}`;

describe("serve --metrics", () => {
  it("counts each call once under its outcome, with its duration and its capability decisions", async () => {
    expect((await call("shout", { text: "a", times: 0 })).isError).toBeFalsy();
    expect((await call("shout", { text: "b", times: 0 })).isError).toBeFalsy();
    expect((await call("refuse", { reason: "no" })).isError).toBe(true);
    expect((await call("shout", { text: "missing times" })).isError).toBe(true);
    expect((await call("spin", {}))._meta?.["airlock/limit"]).toBe("time");
    // Nothing is granted to the intruder: its fetch is denied (a network decision), while reading
    // the environment is allowed (it sees no variables).
    const fetched = await call("fetch-url", { url: "http://127.0.0.1:9/" });
    expect((fetched._meta?.["airlock/audit"] as { denied: string[] }).denied).toHaveLength(1);
    expect((await call("environment", {})).isError).toBeFalsy();

    const samples = await scrape();
    const expected: [string, string, string, number][] = [
      ["troublemaker", "shout", "ok", 2],
      ["troublemaker", "refuse", "tool_error", 1],
      ["troublemaker", "shout", "invalid_arguments", 1],
      ["troublemaker", "spin", "time_limit", 1],
      ["intruder", "fetch-url", "denied", 1],
      ["intruder", "environment", "ok", 1],
    ];
    for (const [component, tool, outcome, count] of expected) expect(samples.get(calls(component, tool, outcome)), `${tool} ${outcome}`).toBe(count);
    const counted = [...samples].filter(([key]) => key.startsWith("airlock_tool_calls_total{")).reduce((sum, [, n]) => sum + n, 0);
    expect(counted).toBe(7);
    expect(samples.get('airlock_tool_call_duration_seconds_count{component="troublemaker",tool="shout"}')).toBe(3);
    expect(samples.get('airlock_tool_call_duration_seconds_count{component="troublemaker",tool="spin"}')).toBe(1);
    expect(samples.get('airlock_capability_decisions_total{decision="denied",kind="network"}')).toBe(1);
    expect(samples.get('airlock_capability_decisions_total{decision="allowed",kind="environment"}')).toBe(1);
    // Each call that reached the component ran on an instance made for it or on one reset after
    // the call before: the two shouts and the refusal returned, so their instance was reset.
    const sum = (prefix: string) => [...samples].filter(([key]) => key.startsWith(prefix)).reduce((total, [, n]) => total + n, 0);
    expect(sum('airlock_instances_created_total{component="troublemaker"')).toBeGreaterThanOrEqual(1);
    expect(sum('airlock_instance_resets_total{component="troublemaker"')).toBe(3);
    // Both components were prepared once: each a lookup of the transpile cache.
    expect((samples.get('airlock_transpile_cache_total{result="hit"}') ?? 0) + (samples.get('airlock_transpile_cache_total{result="miss"}') ?? 0)).toBe(2);
    expect(samples.get('airlock_queue_depth{component="troublemaker"}') ?? 0).toBe(0);
    expect(samples.get("process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("counts a call the full queue refuses, and the queue's depth while calls wait", async () => {
    // One worker and room for one waiting call: of three calls sent at once, one runs, one waits and one is refused.
    const small = await serveHttp(home, "--metrics", "127.0.0.1:0", "--timeout", "3s", "--workers", "1", "--max-queue", "1");
    const url = metricsUrlOf(small);
    const other = await connectHttp(small, "metrics-test-busy");
    try {
      const spins = Promise.all([0, 1, 2].map(async () => ((await other.callTool({ name: "spin", arguments: {} })) as CallToolResult)._meta?.["airlock/limit"]));
      // While one spins and one waits, the gauge shows the waiting one.
      await until("a waiting call", async () => (await scrape(url)).get('airlock_queue_depth{component="troublemaker"}') === 1);
      expect((await spins).sort()).toEqual(["busy", "time", "time"]);
      const samples = await scrape(url);
      expect(samples.get('airlock_busy_rejections_total{component="troublemaker"}')).toBe(1);
      expect(samples.get(calls("troublemaker", "spin", "busy"))).toBe(1);
      expect(samples.get(calls("troublemaker", "spin", "time_limit"))).toBe(2);
      expect(samples.get('airlock_queue_depth{component="troublemaker"}')).toBe(0);
    } finally {
      await other.close();
      small.stop();
    }
  });

  // glibc only: elsewhere (or without koffi) the allocator is left alone and nothing is trimmed.
  it.skipIf(process.platform !== "linux")("hands freed memory back once calls stop for a second, once per quiet spell, and counts it", { timeout: 300_000 }, async () => {
    // A home of its own with one component: its preparation at start is the only work before the calls.
    const own = await tempHome();
    own.env = withoutOtel(own.env);
    expect((await airlock(own, "load", fixture("troublemaker"))).code).toBe(0);
    const quiet = await serveHttp(own, "--metrics", "127.0.0.1:0");
    const url = metricsUrlOf(quiet);
    const other = await connectHttp(quiet, "metrics-test-trim");
    const trims = async () => (await scrape(url)).get("airlock_memory_trims_total") ?? 0;
    try {
      // serve prepares its component in the background as it starts, then goes quiet.
      // Generous deadlines: preparing includes the component's transpile, slow on a loaded machine.
      await until("a trim after the component's preparation", async () => (await trims()) === 1, 120_000);
      // Compiling the component and making its first instance left freed memory to give back.
      expect((await scrape(url)).get("airlock_memory_trimmed_bytes_total")).toBeGreaterThan(0);
      // Staying idle is no reason to trim again; a call is.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(await trims()).toBe(1);
      expect(((await other.callTool({ name: "shout", arguments: { text: "a", times: 0 } })) as CallToolResult).isError).toBeFalsy();
      await until("a trim after the call", async () => (await trims()) === 2, 120_000);
    } finally {
      await other.close();
      quiet.stop();
      await own.cleanup();
    }
  });

  it("answers nothing but GET /metrics on its listener", async () => {
    const other = await fetch(new URL("/mcp", metricsUrl));
    expect(other.status).toBe(404);
    expect(await other.text()).toMatch(/^not found: this listener serves only GET \/metrics/);
    expect((await fetch(new URL("/metrics/x", metricsUrl))).status).toBe(404);
    expect((await fetch(metricsUrl, { method: "POST", body: "{}" })).status).toBe(404);
  });

  it("is not served on the MCP port, with or without the token", async () => {
    const onMcpPort = new URL("/metrics", server.url);
    expect((await fetch(onMcpPort)).status).toBe(401);
    const withToken = await fetch(onMcpPort, { headers: { authorization: `Bearer ${server.token}` } });
    expect(withToken.status).toBe(404);
    expect(await withToken.text()).not.toContain("airlock_tool_calls_total");
  });

  it("is refused without --http, or without HOST:PORT", async () => {
    const served = await airlock(home, "serve", "--metrics", "127.0.0.1:0");
    expect(served.code).toBe(2);
    expect(served.stderr).toContain("--metrics only applies to --http");
    const bad = await airlock(home, "serve", "--http", "127.0.0.1:0", "--metrics", "http://127.0.0.1:9464");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('airlock: --metrics needs HOST:PORT, e.g. --metrics 127.0.0.1:9464 (port 0 picks a free one); got "http://127.0.0.1:9464"\n');
  });

  it("warns when other machines can reach the metrics", async () => {
    const open = await serveHttp(home, "--metrics", "0.0.0.0:0");
    open.stop();
    expect(open.stderr()).toContain(
      "airlock: WARNING: serving metrics on 0.0.0.0, which other machines can reach, with no authentication: the bind address is the metrics listener's only protection.",
    );
  });
});
