#!/usr/bin/env node
// Prints, for each sample tool, how long a push and a pull take through a real local registry
// (docker-registry on 127.0.0.1), and what the content-addressed cache does for start-up:
// `airlock serve` + load-component of an oci://...@sha256 reference + the first tools/list,
// with an empty OCI cache (the component comes over the network) and a filled one (no request).
// Real registry, real host process, real MCP SDK client. Median of BENCH_RUNS (default 3).
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { BlobCache, parseReference, publishComponent, pullComponent, RegistryClient } from "@airlock/oci";
import { startRegistry } from "@airlock/oci/testing";

const CLI = join(import.meta.dirname, "..", "dist", "cli.bundle.js");
const TOOLS = ["grammar-checker", "fetcher", "file-reader"];
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(0)} ms`;

async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/** serve, load-component <reference>, tools/list: the time until the tools are listed. */
async function serveAndLoad(home, reference) {
  const started = performance.now();
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, "serve"], env: { ...process.env, AIRLOCK_HOME: home }, stderr: "ignore" });
  const client = new Client({ name: "bench", version: "0" });
  await client.connect(transport);
  const loadStarted = performance.now();
  const loaded = await client.callTool({ name: "load-component", arguments: { path: reference } });
  if (loaded.isError) throw new Error(loaded.content[0].text);
  const load = performance.now() - loadStarted;
  await client.listTools();
  const total = performance.now() - started;
  await client.close();
  return { total, load };
}

const registry = await startRegistry("none");
const client = new RegistryClient({ credentials: async () => undefined });
const rows = [];
try {
  for (const tool of TOOLS) {
    const bytes = await readFile(join(import.meta.dirname, "..", "..", "tools", tool, "dist", `${tool}.wasm`));
    const wit = execFileSync(process.execPath, [CLI, "inspect", join(import.meta.dirname, "..", "..", "tools", tool, "dist", `${tool}.wasm`)], { encoding: "utf8", maxBuffer: 64 << 20 });
    const pushes = [];
    const pulls = [];
    const cachedPulls = [];
    let digest;
    for (let i = 0; i < RUNS; i++) {
      // A new repository each run: the registry would otherwise skip blobs it already has.
      const ref = parseReference(`oci://${registry.host}/bench/${tool}-${i}:1.0`);
      const push = await timed(() => publishComponent(client, ref, { component: bytes, describe: { exports: [], imports: [] }, wit: JSON.parse(wit).wit }));
      pushes.push(push.ms);
      if (i === 0) digest = push.value.digest;
      const cacheDir = await mkdtemp(join(tmpdir(), "airlock-bench-cache-"));
      pulls.push((await timed(() => pullComponent(client, ref, { cache: new BlobCache(cacheDir) }))).ms);
      const pinned = parseReference(`oci://${registry.host}/bench/${tool}-${i}@${push.value.digest}`);
      cachedPulls.push((await timed(() => pullComponent(client, pinned, { cache: new BlobCache(cacheDir) }))).ms);
      await rm(cacheDir, { recursive: true, force: true });
    }
    const reference = `oci://${registry.host}/bench/${tool}-0@${digest}`;
    const uncached = [];
    const cached = [];
    for (let i = 0; i < RUNS; i++) {
      const home = await mkdtemp(join(tmpdir(), "airlock-bench-home-"));
      // Fill the transpile cache first, so that the two rows differ only by the OCI cache.
      await serveAndLoad(home, reference);
      execFileSync(process.execPath, [CLI, "unload", `${tool}-0`], { env: { ...process.env, AIRLOCK_HOME: home } });
      await rm(join(home, "cache", "oci"), { recursive: true, force: true });
      uncached.push(await serveAndLoad(home, reference));
      execFileSync(process.execPath, [CLI, "unload", `${tool}-0`], { env: { ...process.env, AIRLOCK_HOME: home } });
      cached.push(await serveAndLoad(home, reference));
      await rm(home, { recursive: true, force: true });
    }
    rows.push({
      tool,
      mib: (bytes.length / 1048576).toFixed(1),
      push: median(pushes),
      pull: median(pulls),
      cachedPull: median(cachedPulls),
      uncached: median(uncached.map((u) => u.load)),
      cached: median(cached.map((c) => c.load)),
      uncachedTotal: median(uncached.map((u) => u.total)),
      cachedTotal: median(cached.map((c) => c.total)),
    });
  }
} finally {
  await registry.stop();
}
console.log(`OCI push/pull through docker-registry on 127.0.0.1, median of ${RUNS}`);
console.log("tool\tsize\tpush\tpull (no cache)\tpull by digest (cached)\tload-component (OCI cache empty / filled)\tserve+load+tools/list (empty / filled)");
for (const r of rows) {
  console.log(`${r.tool}\t${r.mib} MiB\t${ms(r.push)}\t${ms(r.pull)}\t${ms(r.cachedPull)}\t${ms(r.uncached)} / ${ms(r.cached)}\t${ms(r.uncachedTotal)} / ${ms(r.cachedTotal)}`);
}
