#!/usr/bin/env node
// `pnpm bench`: Airlock against a plain Node MCP server running the same tool code natively,
// driven by the same MCP SDK client in the same run. Prints a table; asserts nothing.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

import { buildNativeServer, CLI, SAMPLE_TOOLS, sampleStore } from "./bench-setup.mjs";

const here = import.meta.dirname;
const ECHO = join(here, "..", "test", "fixtures", "type-zoo", "dist", "type-zoo.wasm");
const CALLS = Number(process.env.BENCH_CALLS ?? 200);
const TEXT =
  "The committee met on Tuesday to review the the budget. Members agreed that an clear plan was needed before any money could be spent, and they asked the treasurer to prepare a report for the next meeting.";

// ~1,000 words: the size of document the issue of the grammar checker's own cost is measured on.
const LONG_TEXT = Array.from({ length: 27 }, () => TEXT).join("\n\n");

const work = await mkdtemp(join(tmpdir(), "airlock-bench-"));
const native = await buildNativeServer(work);
const { env, site, siteUrl, document: DOCUMENT } = await sampleStore(work, [...SAMPLE_TOOLS, ECHO], TEXT);

const sides = {
  airlock: { command: process.execPath, args: [CLI, "serve"], httpArgs: (port) => [CLI, "serve", "--http", `127.0.0.1:${port}`] },
  native: { command: process.execPath, args: [native], httpArgs: (port) => [native, "--http", String(port)] },
};

const rss = (pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

async function stdioClient(side) {
  const started = performance.now();
  const transport = new StdioClientTransport({ command: sides[side].command, args: sides[side].args, env, stderr: "ignore" });
  const client = new Client({ name: "bench", version: "0" });
  await client.connect(transport);
  await client.listTools();
  return { client, pid: transport.pid, startup: performance.now() - started, close: () => client.close() };
}

async function httpClient(side) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(sides[side].command, sides[side].httpArgs(port), { env, stdio: ["ignore", "ignore", "pipe"] });
  await new Promise((resolve) => child.stderr.on("data", (d) => /listening|serving/.test(String(d)) && resolve()));
  const client = new Client({ name: "bench", version: "0" });
  // Airlock's HTTP server wants its bearer token; the native server ignores the header.
  const tokenPath = join(env.AIRLOCK_HOME, "http-token");
  const headers = side === "airlock" ? { authorization: `Bearer ${readFileSync(tokenPath, "utf8").trim()}` } : {};
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), { requestInit: { headers } }));
  return {
    client,
    pid: child.pid,
    close: async () => {
      await client.close();
      child.kill();
    },
  };
}

const calls = { echo: ["echo-string", { x: "hello" }], grammar: ["check-grammar", { text: TEXT }], fetch: ["fetch", { url: siteUrl }], "read-file": ["read-file", { path: DOCUMENT }] };

async function latency(client, [name, args], n, pauseMs = 0) {
  for (let i = 0; i < 5; i++) await client.callTool({ name, arguments: args });
  const times = [];
  for (let i = 0; i < n; i++) {
    if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
    const t = performance.now();
    const r = await client.callTool({ name, arguments: args });
    times.push(performance.now() - t);
    if (r.isError) throw new Error(`${name} failed: ${JSON.stringify(r.content)}`);
  }
  return { p50: pct(times, 50), p99: pct(times, 99) };
}

async function throughput(client, [name, args], n, concurrency) {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < n) await client.callTool({ name, arguments: args });
    }),
  );
  return (n / (performance.now() - t)) * 1000;
}

const results = {};
const record = (metric, side, value) => ((results[metric] ??= {})[side] = value);

// Start-up, the two sides in turn, so that a change in the machine's load falls on both alike.
const STARTS = 7;
const startups = { native: [], airlock: [] };
const firstResults = { native: [], airlock: [] };
for (let i = 0; i < STARTS; i++) {
  for (const side of ["native", "airlock"]) {
    const s = await stdioClient(side);
    startups[side].push(s.startup);
    await s.close();
    // Start-up as an agent meets it: spawn, initialize, then the first grammar check's result.
    const started = performance.now();
    const first = await stdioClient(side);
    const r = await first.client.callTool({ name: "check-grammar", arguments: { text: TEXT } });
    if (r.isError) throw new Error(`check-grammar failed: ${JSON.stringify(r.content)}`);
    firstResults[side].push(performance.now() - started);
    await first.close();
  }
}
for (const side of ["native", "airlock"]) {
  record(`spawn -> first tools/list, stdio (ms, median of ${STARTS})`, side, pct(startups[side], 50));
  record(`spawn -> first check-grammar result, stdio (ms, median of ${STARTS})`, side, pct(firstResults[side], 50));
}

for (const side of ["native", "airlock"]) {
  const s = await stdioClient(side);
  // Steady state, as a server that has been up a while: each tool called 100 times (its code
  // warmed up by the JIT on both sides), then a pause for what a host prepares in the background
  // after start (the other components) to finish. Start-up is what the two rows above measure.
  for (const call of Object.values(calls)) for (let i = 0; i < 100; i++) await s.client.callTool({ name: call[0], arguments: call[1] });
  await new Promise((r) => setTimeout(r, 3000));
  for (const [kind, call] of Object.entries(calls)) {
    // Paced: one call every 100 ms, as an agent makes them; the next fresh instance is ready.
    const paced = await latency(s.client, call, 30, 100);
    record(`${kind} tools/call p50, stdio, paced (ms)`, side, paced.p50);
    record(`${kind} tools/call p99, stdio, paced (ms)`, side, paced.p99);
    // Back to back: each call also waits for the instance the previous one used up.
    const { p50, p99 } = await latency(s.client, call, kind === "echo" ? CALLS : CALLS / 2);
    record(`${kind} tools/call p50, stdio, back to back (ms)`, side, p50);
    record(`${kind} tools/call p99, stdio, back to back (ms)`, side, p99);
  }
  const long = await latency(s.client, ["check-grammar", { text: LONG_TEXT }], 10);
  record(`grammar, ${LONG_TEXT.split(/\s+/).length} words, p50, stdio (ms)`, side, long.p50);
  for (const concurrency of [1, 4, 16]) {
    record(`echo throughput at concurrency ${concurrency} (calls/s)`, side, await throughput(s.client, calls.echo, CALLS * 2, concurrency));
    record(`grammar throughput at concurrency ${concurrency} (calls/s)`, side, await throughput(s.client, calls.grammar, CALLS / 2, concurrency));
  }
  record("peak RSS, stdio session (MiB)", side, rss(s.pid));
  await s.close();

  const h = await httpClient(side);
  for (const [kind, call] of Object.entries(calls)) {
    if (kind === "fetch") continue;
    const { p50, p99 } = await latency(h.client, call, 30, 100);
    record(`${kind} tools/call p50, Streamable HTTP, paced (ms)`, side, p50);
    record(`${kind} tools/call p99, Streamable HTTP, paced (ms)`, side, p99);
  }
  await h.close();
}

site.close();
await rm(work, { recursive: true, force: true });

const fmt = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
console.log(`Airlock (grammar-checker, fetcher, file-reader, type-zoo loaded) vs a native Node MCP server, ${new Date().toISOString()}`);
console.log(`${"metric".padEnd(56)} ${"native".padStart(9)} ${"airlock".padStart(9)} ${"ratio".padStart(7)}`);
for (const [metric, v] of Object.entries(results)) {
  console.log(`${metric.padEnd(56)} ${fmt(v.native).padStart(9)} ${fmt(v.airlock).padStart(9)} ${(v.airlock / v.native).toFixed(2).padStart(7)}`);
}
