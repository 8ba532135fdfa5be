// `airlock serve --http --config airlock.yaml`: replicas that serve what a deployment file names,
// with components from a real local registry by digest (signed), real MCP clients, and the file
// changed under a running replica.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRegistry, type Registry } from "@airlock/oci/testing";
import type { Client } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, connectModernHttp, tempHome, type TempHome } from "./helpers/airlock.js";
import { startServer, text, type TestServer } from "./helpers/http-server.js";
import { verifies } from "./requirements/requirements.js";
import { publishPinned, sampleTool, startReplica, waitReady, writeKeyPair, writeTokenFile, type Replica } from "./helpers/replica.js";

type Result = { content: { type: string; text?: string }[]; isError?: boolean; structuredContent?: Record<string, unknown>; _meta?: Record<string, unknown> };

let registry: Registry;
let publisher: TempHome;
let dir: string;
let site: TestServer;
let keys: { key: string; pub: string };
const pinned = new Map<string, string>();

beforeAll(async () => {
  [registry, publisher, dir] = await Promise.all([startRegistry("none"), tempHome(), mkdtemp(join(tmpdir(), "airlock-deployment-e2e-"))]);
  site = await startServer({
    "/page": text("hello from the granted host"),
    "/slow": (_req, res) => void setTimeout(() => res.writeHead(200, { "content-type": "text/plain" }).end("slow but granted"), 2500),
  });
  keys = await writeKeyPair(dir, "publisher");
  for (const name of ["grammar-checker", "fetcher", "file-reader"]) {
    pinned.set(name, await publishPinned(publisher, sampleTool(name), `oci://${registry.host}/tools/${name}:1.0`, "--sign", keys.key));
  }
  pinned.set("unsigned-reader", await publishPinned(publisher, sampleTool("file-reader"), `oci://${registry.host}/unsigned/unsigned-reader:1.0`));
  await writeFile(join(dir, "notes.txt"), "a line a replica may read\n");
}, 180_000);
afterAll(async () => {
  await site?.close();
  await registry?.stop();
  await publisher?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The YAML of a deployment file for this test's registry and key. */
function deploymentYaml(server: string, components: string): string {
  return `version: 1\nserver:\n  trustedKeys: [${keys.pub}]\n${server}components:\n${components}`;
}
const grammarChecker = () => `  - source: ${pinned.get("grammar-checker")}\n`;
const fetcher = (granted: boolean) =>
  `  - source: ${pinned.get("fetcher")}\n` + (granted ? `    policy:\n      version: "1.0"\n      permissions:\n        network:\n          allow: [{ host: "127.0.0.1:${site.port}" }]\n` : "");
const fileReader = () =>
  `  - source: ${pinned.get("file-reader")}\n    tools: [read-file]\n    policy:\n      version: "1.0"\n      permissions:\n        storage:\n          allow: [{ uri: "fs://${dir}", access: [read] }]\n`;

/** Polls `condition` every 200 ms for up to a minute. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met within 60 s");
    await new Promise((r) => setTimeout(r, 200));
  }
}
const textOf = (result: Result) => result.content.map((c) => c.text ?? "").join("\n");
const call = async (client: Client, name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as Result;

describe("a replica serving a deployment file", () => {
  let home: TempHome;
  let replica: Replica;
  let client: Client;
  let config: string;

  beforeAll(async () => {
    home = await tempHome();
    config = join(dir, "airlock.yaml");
    const token = await writeTokenFile(join(dir, "token"));
    await writeFile(config, deploymentYaml(`  tokenFile: token\n`, grammarChecker() + fetcher(true)));
    replica = await startReplica(home, config);
    await waitReady(replica.origin);
    client = await connectModernHttp(replica.url, token);
  }, 180_000);
  afterAll(async () => {
    await client?.close();
    await replica?.stop();
    await home?.cleanup();
  });

  it("answers the probes without a token, whatever Host a prober sends, and says nothing about what it serves", async () => {
    verifies("fleet:probes");
    for (const path of ["/healthz", "/readyz"]) {
      const response = await fetch(`${replica.origin}${path}`, { headers: { host: "10.1.2.3:8080" } });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(path === "/healthz" ? "ok\n" : "ready\n");
    }
    const mcp = await fetch(replica.url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(mcp.status).toBe(401);
    expect(replica.stderr()).toMatch(/ready: serving 2 component\(s\) from .*airlock\.yaml/);
  });

  it("serves the file's components from the registry, verified, with the file's grants", async () => {
    verifies("fleet:store-follows-file");
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(["check-grammar", "fetch"]));
    expect(tools).not.toContain("read-file");
    const page = await call(client, "fetch", { url: `${site.origin}/page` });
    expect(page.isError).toBeFalsy();
    expect(textOf(page)).toContain("hello from the granted host");
    const listed = await airlock(home, "list");
    expect(listed.stdout).toContain(`fetcher\tsha256:`);
    expect(listed.stdout).toContain(pinned.get("fetcher")!.split("@")[1]!);
  });

  it("refuses grants and loads made by hand, through the CLI and through MCP, naming the file", async () => {
    verifies("fleet:file-is-truth");
    for (const args of [
      ["grant", "fetcher", "network", "example.com"],
      ["revoke", "fetcher", "all"],
      ["load", sampleTool("file-reader")],
      ["unload", "fetcher"],
    ]) {
      const result = await airlock(home, ...args);
      expect(result.code, args.join(" ")).toBe(1);
      expect(result.stderr).toContain(`this store is served from the deployment file ${config}, which is the source of truth`);
    }
    const viaMcp = await call(client, "grant-network-permission", { component_id: "fetcher", details: { host: "example.com" } });
    expect(viaMcp.isError).toBe(true);
    expect(textOf(viaMcp)).toContain("source of truth");
    expect((await airlock(home, "policy", "fetcher")).stdout).not.toContain("example.com");
  });

  it("applies a changed file without a restart: a component added with only the selected tool, a grant removed, the call in flight answered", async () => {
    verifies("fleet:reload", "fleet:store-follows-file");
    const inFlight = call(client, "fetch", { url: `${site.origin}/slow` });
    await new Promise((r) => setTimeout(r, 300));
    await writeFile(config, deploymentYaml(`  tokenFile: token\n`, grammarChecker() + fetcher(false) + fileReader()));
    await replica.waitForLog(/deployment applied: loaded file-reader/);
    const slow = await inFlight;
    expect(slow.isError, textOf(slow)).toBeFalsy();
    expect(textOf(slow)).toContain("slow but granted");

    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toContain("read-file");
    expect(tools).not.toContain("list-directory");
    const read = await call(client, "read-file", { path: join(dir, "notes.txt") });
    expect(textOf(read)).toContain("a line a replica may read");
    const denied = await call(client, "fetch", { url: `${site.origin}/page` });
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toMatch(/denied|not allowed/i);
    expect((await airlock(home, "policy", "fetcher")).stdout).not.toContain(`127.0.0.1:${site.port}`);
  });

  it("keeps serving the previous file when a changed one is invalid", async () => {
    await writeFile(config, deploymentYaml(`  tokenFile: token\n  limits: { timeout: soon }\n`, grammarChecker()));
    await replica.waitForLog(/server\.limits\.timeout: must be a duration[\s\S]*still serving the previous file/);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("read-file");
    expect((await fetch(`${replica.origin}/readyz`)).status).toBe(200);
  });
});

describe("airlock deployment check", () => {
  it("checks a file, its keys and token files as serve --config would, without starting anything", async () => {
    verifies("fleet:file");
    const home = await tempHome();
    try {
      const good = join(dir, "check-good.yaml");
      await writeTokenFile(join(dir, "check-token"));
      await writeFile(good, deploymentYaml(`  tokenFile: check-token\n`, grammarChecker() + fileReader()));
      const ok = await airlock(home, "deployment", "check", good);
      expect(ok.stderr).toBe("");
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain(`${good}: valid: 2 component(s), signatures required (1 trusted key(s))`);
      expect(ok.stdout).toMatch(/file-reader\toci:\/\/.*@sha256:[0-9a-f]{64}\ttools: read-file\tgrants: 1 storage, 0 network, 0 environment/);

      const bad = join(dir, "check-bad.yaml");
      await writeFile(join(dir, "short-token"), "abc\n", { mode: 0o600 });
      await writeFile(bad, `version: 1\nserver:\n  tokenFile: short-token\n  trustedKeys: [missing.pub]\ncomponents:\n${grammarChecker()}`);
      const refused = await airlock(home, "deployment", "check", bad);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`server.trustedKeys.0: ${join(dir, "missing.pub")}: no such file`);
      expect(refused.stderr).toContain("server.tokenFile: ");
      expect(refused.stderr).toContain("must hold one token of at least 32 characters");
    } finally {
      await home.cleanup();
    }
  });
});

describe("a component whose signature cannot be verified", () => {
  it("keeps the replica unready (its log names the component) while the others are served", async () => {
    verifies("fleet:unverified-unready");
    const home = await tempHome();
    const config = join(dir, "unsigned.yaml");
    const token = await writeTokenFile(join(dir, "token-unsigned"));
    await writeFile(config, deploymentYaml(`  tokenFile: token-unsigned\n`, grammarChecker() + `  - source: ${pinned.get("unsigned-reader")}\n`));
    const replica = await startReplica(home, config);
    try {
      await replica.waitForLog(/component "unsigned-reader": .*(signature|signed)/i);
      // Once the grammar checker is started, only the component that failed keeps it unready.
      const failed = "not ready: 1 of 2 component(s) failed (the replica's log names them)\n";
      await until(async () => (await (await fetch(`${replica.origin}/readyz`)).text()) === failed);
      await replica.waitForLog(/not ready: waiting for "unsigned-reader"/);
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${replica.origin}/readyz`);
        expect(response.status).toBe(503);
        expect(await response.text()).toBe(failed);
        await new Promise((r) => setTimeout(r, 500));
      }
      const client = await connectModernHttp(replica.url, token);
      expect((await client.listTools()).tools.map((t) => t.name)).toContain("check-grammar");
      await client.close();
    } finally {
      await replica.stop();
      await home.cleanup();
    }
  });
});

describe("per-client rate limits", () => {
  it("answer a client over its rate with the time to retry after, and leave other clients alone", async () => {
    verifies("fleet:rate-limits");
    const home = await tempHome();
    const config = join(dir, "rate.yaml");
    const [a, b] = [await writeTokenFile(join(dir, "agent-a")), await writeTokenFile(join(dir, "agent-b"))];
    await writeTokenFile(join(dir, "token-rate"));
    // One call per 100 s after a burst of two: however slow a busy machine makes the first two
    // calls, the bucket cannot refill before the third.
    const server = `  tokenFile: token-rate\n  clients: [{ name: agent-a, tokenFile: agent-a }, { name: agent-b, tokenFile: agent-b }]\n  limits: { rate: { callsPerSecond: 0.01, burst: 2 } }\n`;
    await writeFile(config, deploymentYaml(server, grammarChecker()));
    const replica = await startReplica(home, config);
    try {
      await waitReady(replica.origin);
      const [clientA, clientB] = [await connectModernHttp(replica.url, a), await connectModernHttp(replica.url, b)];
      const check = (client: Client) => call(client, "check-grammar", { text: "This are a test." });
      expect((await check(clientA)).isError).toBeFalsy();
      expect((await check(clientA)).isError).toBeFalsy();
      const limited = await check(clientA);
      expect(limited.isError).toBe(true);
      expect(textOf(limited)).toMatch(/^rate limited: client "agent-a" may make 0\.01 calls per second \(limits\.rate\); retry after \d+(\.\d)? s$/);
      expect(limited._meta).toMatchObject({ "airlock/limit": "rate" });
      expect(limited._meta?.["airlock/retryAfter"]).toBeGreaterThan(0);
      const other = await check(clientB);
      expect(other.isError, textOf(other)).toBeFalsy();
      await Promise.all([clientA.close(), clientB.close()]);
    } finally {
      await replica.stop();
      await home.cleanup();
    }
  });
});
