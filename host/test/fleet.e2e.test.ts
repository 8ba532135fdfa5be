// Three replicas from one deployment file (a component from the real local registry, by digest,
// signed) behind a real HAProxy, round robin and health-checked on /readyz: 1,000 calls at
// concurrency 16 from the v2 SDK's client, one replica killed mid-run and started again.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRegistry, type Registry } from "@airlock/oci/testing";
import type { Client } from "@modelcontextprotocol/client";
import { Client as LegacyClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectModernHttp, fixture, tempHome, type TempHome } from "./helpers/airlock.js";
import { haproxyMissing, startHaproxy, type LoadBalancer } from "./helpers/haproxy.js";
import { countedCalls, publishPinned, startReplica, waitReady, writeKeyPair, writeTokenFile, type Replica } from "./helpers/replica.js";
import { verifies } from "./requirements/requirements.js";

const TOTAL = 1_000;
const CONCURRENCY = 16;
const KILL_AFTER = 300;
/** An environment variable every replica has: a grant lets a component read it. */
const MARK = { AIRLOCK_FLEET_MARK: "set-by-the-fleet-test" };
const missing = haproxyMissing();
// .ci/run installs haproxy: in CI a missing one is a broken set-up, not a reason to skip.
if (missing && process.env.CI === "true") throw new Error(`the fleet test cannot run in CI: ${missing}`);
if (missing) console.warn(`skipping the fleet test: ${missing}`);

describe.skipIf(missing !== undefined)("three replicas behind HAProxy", () => {
  let registry: Registry;
  let publisher: TempHome;
  let dir: string;
  let config: string;
  let token: string;
  let amnesiac: string;
  let troublemaker: string;
  const homes: TempHome[] = [];
  const replicas: Replica[] = [];
  const ports: number[] = [];
  let balancer: LoadBalancer;

  beforeAll(async () => {
    [registry, publisher, dir] = await Promise.all([startRegistry("none"), tempHome(), mkdtemp(join(tmpdir(), "airlock-fleet-e2e-"))]);
    const keys = await writeKeyPair(dir, "publisher");
    amnesiac = await publishPinned(publisher, fixture("amnesiac"), `oci://${registry.host}/fleet/amnesiac:1.0`, "--sign", keys.key);
    troublemaker = await publishPinned(publisher, fixture("troublemaker"), `oci://${registry.host}/fleet/troublemaker:1.0`, "--sign", keys.key);
    token = await writeTokenFile(join(dir, "token"));
    config = join(dir, "airlock.yaml");
    await writeFile(config, fleetFile(""));
    for (let i = 0; i < 3; i++) homes.push(await tempHome());
    replicas.push(...(await Promise.all(homes.map((home) => startReplica(home, config, { env: MARK })))));
    ports.push(...replicas.map((r) => Number(new URL(r.origin).port)));
    await Promise.all(replicas.map((r) => waitReady(r.origin)));
    balancer = await startHaproxy(ports.map((port, i) => ({ name: `r${i + 1}`, port })));
    await untilServersUp(3);
  }, 240_000);
  afterAll(async () => {
    await balancer?.stop();
    await Promise.all(replicas.map((r) => r.stop()));
    await Promise.all(homes.map((h) => h.cleanup()));
    await registry?.stop();
    await publisher?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The fleet's file: amnesiac's count, and `more` components. */
  const fleetFile = (more: string) =>
    `version: 1\nserver:\n  tokenFile: token\n  trustedKeys: [publisher.pub]\n  metrics: { listen: "127.0.0.1:0" }\n  limits: { workers: 1 }\ncomponents:\n  - source: ${amnesiac}\n    tools: [count]\n${more}`;

  async function untilServersUp(count: number): Promise<void> {
    const deadline = Date.now() + 60_000;
    while ((await balancer.servers()).filter((s) => s.status === "UP").length < count) {
      if (Date.now() > deadline) throw new Error(`HAProxy does not see ${count} replicas up: ${JSON.stringify(await balancer.servers())}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it("keeps a 2025-11-25 session on the replica that started it", async () => {
    verifies("fleet:load-balancer");
    const clients = await Promise.all(
      Array.from({ length: 3 }, async () => {
        const client = new LegacyClient({ name: "fleet-legacy", version: "0.0.0" });
        await client.connect(new StreamableHTTPClientTransport(new URL(balancer.url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
        return client;
      }),
    );
    for (let round = 0; round < 4; round++) {
      for (const client of clients) expect(((await client.callTool({ name: "count", arguments: {} })) as { isError?: boolean }).isError).toBeFalsy();
    }
    await Promise.all(clients.map((c) => c.close()));
  });

  it("carries 1,000 calls through a replica's death and takes it back when it is started again", async () => {
    verifies("fleet:load-balancer");
    const clients: Client[] = await Promise.all(Array.from({ length: CONCURRENCY }, () => connectModernHttp(balancer.url, token)));
    const latencies: number[] = [];
    const failures: string[] = [];
    let next = 0;
    let done = 0;
    let inFlight = 0;
    let inFlightAtKill: number | undefined;
    let killing: Promise<void> | undefined;
    let countedBeforeKill = 0;
    let successes = 0;
    // What the replicas counted before this run (the session test's calls).
    const baseline = await Promise.all(replicas.map((r) => countedCalls(r.metricsUrl!)));
    const started = performance.now();

    const drive = async (client: Client) => {
      while (next < TOTAL) {
        next++;
        inFlight++;
        const callStarted = performance.now();
        try {
          const result = (await client.callTool({ name: "count", arguments: {} }, { timeout: 30_000 })) as { isError?: boolean; structuredContent?: unknown };
          // Every call meets a fresh instance, on whichever replica it lands.
          if (result.isError) failures.push(`tool error: ${JSON.stringify(result)}`);
          else expect(result.structuredContent).toEqual({ result: [1, 1] });
          if (!result.isError) successes++;
          latencies.push(performance.now() - callStarted);
        } catch (error) {
          failures.push((error as Error).message);
          if (process.env.FLEET_DEBUG)
            console.log(`failure at done=${done} (+${(performance.now() - started).toFixed(0)} ms): ${(error as Error).message.slice(0, 80)} cause=${String((error as { cause?: unknown }).cause)}`);
        }
        inFlight--;
        done++;
        if (done === KILL_AFTER) {
          // Its count just before it dies: what it served in the instant after is lost with it.
          killing = (async () => {
            countedBeforeKill = await countedCalls(replicas[0]!.metricsUrl!);
            inFlightAtKill = inFlight;
            replicas[0]!.process.kill("SIGKILL");
          })();
        }
      }
    };
    await Promise.all(clients.map(drive));
    await killing;
    const seconds = (performance.now() - started) / 1000;
    // Each replica's /metrics counted the calls it answered: together, the calls made (but the few
    // the killed one answered between its last scrape and its death).
    const counted = countedBeforeKill + (await countedCalls(replicas[1]!.metricsUrl!)) + (await countedCalls(replicas[2]!.metricsUrl!)) - baseline.reduce((a, b) => a + b, 0);
    latencies.sort((a, b) => a - b);
    const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
    console.log(
      `fleet: ${TOTAL} calls at concurrency ${CONCURRENCY} through HAProxy to 3 replicas (one killed after ${KILL_AFTER}): ` +
        `${(TOTAL / seconds).toFixed(0)} calls/s, p50 ${percentile(50)} ms, p99 ${percentile(99)} ms, ${failures.length} failed (in flight at the kill: ${inFlightAtKill}); /metrics of the replicas counted ${counted} of ${successes}${failures.length > 0 ? `: ${[...new Set(failures)].join(" | ")}` : ""}`,
    );

    // Nothing lost beyond the calls in flight when the replica died, and each of those answered.
    expect(done).toBe(TOTAL);
    expect(inFlightAtKill).toBeDefined();
    expect(failures.length).toBeLessThanOrEqual(inFlightAtKill!);
    for (const failure of failures) expect(failure).not.toMatch(/timed out|timeout/i);
    expect(counted).toBeLessThanOrEqual(successes);
    expect(counted).toBeGreaterThanOrEqual(successes - CONCURRENCY);
    expect(await countedCalls(replicas[1]!.metricsUrl!, { outcome: "ok", tool: "count", component: "amnesiac" })).toBe(await countedCalls(replicas[1]!.metricsUrl!));
    // The other replicas carried the load.
    const servers = await balancer.servers();
    const sessions = (name: string) => servers.find((s) => s.name === name)!.sessions;
    expect(servers.find((s) => s.name === "r1")!.status).toMatch(/DOWN/);
    expect(sessions("r2") + sessions("r3")).toBeGreaterThan(TOTAL - KILL_AFTER);

    // Started again on its port with its store, the replica is taken back once /readyz says so.
    replicas[0] = await startReplica(homes[0]!, config, { listen: `127.0.0.1:${ports[0]}`, env: MARK });
    await waitReady(replicas[0].origin);
    await untilServersUp(3);
    const before = sessions("r1");
    const extra = await Promise.all(Array.from({ length: 60 }, (_, i) => clients[i % CONCURRENCY]!.callTool({ name: "count", arguments: {} })));
    expect(extra.every((r) => !r.isError)).toBe(true);
    const after = (await balancer.servers()).find((s) => s.name === "r1")!.sessions;
    expect(after - before).toBeGreaterThanOrEqual(10);
    expect(await countedCalls(replicas[0].metricsUrl!)).toBeGreaterThanOrEqual(10);
    await Promise.all(clients.map((c) => c.close()));
  }, 300_000);

  it("applies a changed file on every replica, a component added and then a grant removed, while calls go on", async () => {
    verifies("fleet:reload");
    const direct = await Promise.all(replicas.map((r) => connectModernHttp(r.url, token)));
    const stream = await connectModernHttp(balancer.url, token);
    let streaming = true;
    const failures: string[] = [];
    let answered = 0;
    const calls = (async () => {
      while (streaming) {
        const result = await stream.callTool({ name: "count", arguments: {} }).catch((error: Error) => ({ isError: true, error: error.message }));
        if (result.isError) failures.push(JSON.stringify(result));
        answered++;
      }
    })();
    const environmentSeen = async (client: Client) => JSON.stringify((await client.callTool({ name: "surroundings", arguments: {} })).structuredContent).includes("AIRLOCK_FLEET_MARK");
    const everyReplica = async (check: (client: Client) => Promise<boolean>) => {
      const deadline = Date.now() + 90_000;
      for (const client of direct) {
        while (!(await check(client).catch(() => false))) {
          if (Date.now() > deadline) throw new Error("a replica did not apply the changed file within 90 s");
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    };
    const granted = `  - source: ${troublemaker}\n    tools: [surroundings]\n    policy:\n      version: "1.0"\n      permissions:\n        environment:\n          allow: [{ key: AIRLOCK_FLEET_MARK }]\n`;
    await writeFile(config, fleetFile(granted));
    await everyReplica(async (client) => (await client.listTools()).tools.some((t) => t.name === "surroundings") && (await environmentSeen(client)));
    await writeFile(config, fleetFile(`  - source: ${troublemaker}\n    tools: [surroundings]\n`));
    await everyReplica(async (client) => !(await environmentSeen(client)));
    streaming = false;
    await calls;
    expect(answered).toBeGreaterThan(0);
    expect(failures).toEqual([]);
    await Promise.all([...direct, stream].map((c) => c.close()));
  }, 240_000);
});
