#!/usr/bin/env node
// Prints how long `airlock serve` takes to answer its first tools/list and first tools/call,
// with an empty transpile cache (cold) and a filled one (warm), and tools/call latency for a
// 1,000-word text. Real host process, real MCP SDK client over stdio.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const CLI = join(import.meta.dirname, "..", "dist", "cli.bundle.js");
const COMPONENT = join(import.meta.dirname, "..", "..", "tools", "grammar-checker", "dist", "grammar-checker.wasm");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CALLS = Number(process.env.BENCH_CALLS ?? 50);

const PARAGRAPH =
  "The committee met on Tuesday to review the the budget for the coming year. Members agreed that an " +
  "clear plan was needed before any money could be spent, and they asked the treasurer to prepare a " +
  "report. Their going to discuss the report at the next meeting, which will take place in the main hall. " +
  "Several members said they would utilize the time to gather more information from local businesses, " +
  "schools and charities that depend on the fund. ";
const words = PARAGRAPH.trim().split(/\s+/).length;
const TEXT = PARAGRAPH.repeat(Math.ceil(1000 / words))
  .split(/\s+/)
  .slice(0, 1000)
  .join(" ");

async function session(home, work) {
  const started = performance.now();
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, "serve"], env: { ...process.env, AIRLOCK_HOME: home }, stderr: "ignore" });
  const client = new Client({ name: "bench", version: "0" });
  await client.connect(transport);
  await client.listTools();
  const listed = performance.now() - started;
  await client.callTool({ name: "check-grammar", arguments: { text: "Warm up." } });
  const called = performance.now() - started;
  const extra = work ? await work(client) : undefined;
  await client.close();
  return { listed, called, extra };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

const cold = { listed: [], called: [] };
const warm = { listed: [], called: [] };
for (let run = 0; run < RUNS; run++) {
  const home = await mkdtemp(join(tmpdir(), "airlock-bench-"));
  execFileSync(process.execPath, [CLI, "load", COMPONENT, "--quiet"], { env: { ...process.env, AIRLOCK_HOME: home } });
  await rm(join(home, "cache"), { recursive: true, force: true });
  const first = await session(home);
  cold.listed.push(first.listed);
  cold.called.push(first.called);
  const second = await session(home);
  warm.listed.push(second.listed);
  warm.called.push(second.called);
  await rm(home, { recursive: true, force: true });
}

const home = await mkdtemp(join(tmpdir(), "airlock-bench-"));
execFileSync(process.execPath, [CLI, "load", COMPONENT, "--quiet"], { env: { ...process.env, AIRLOCK_HOME: home } });
const { extra: latencies } = await session(home, async (client) => {
  const times = [];
  let issues = 0;
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    const result = await client.callTool({ name: "check-grammar", arguments: { text: TEXT } });
    times.push(performance.now() - t);
    issues = result.structuredContent.result.length;
  }
  return { times, issues };
});
await rm(home, { recursive: true, force: true });

const ms = (x) => `${x.toFixed(0)} ms`;
console.log(`airlock serve + grammar-checker (${RUNS} runs each, medians)`);
console.log(`  spawn -> first tools/list, cold transpile cache   ${ms(median(cold.listed))}`);
console.log(`  spawn -> first tools/call, cold transpile cache   ${ms(median(cold.called))}`);
console.log(`  spawn -> first tools/list, warm transpile cache   ${ms(median(warm.listed))}`);
console.log(`  spawn -> first tools/call, warm transpile cache   ${ms(median(warm.called))}`);
console.log(`tools/call check-grammar, 1,000 words (${latencies.issues} issues), ${CALLS} calls`);
console.log(`  p50 ${ms(median(latencies.times))}   p90 ${ms(pct(latencies.times, 90))}   max ${ms(Math.max(...latencies.times))}`);
