#!/usr/bin/env node
// `pnpm --filter @airlock/host bench:memory`: resident memory of Airlock and of the native server
// with the three sample tools, after 1,000 calls of each tool and again after 10,000 (set
// BENCH_MEMORY_FIRST and BENCH_MEMORY_CALLS for other marks): a host whose memory creeps with
// calls shows it here. Airlock runs three times: with glibc's allocator as glibc sets it, as
// `serve` tunes it for itself, and tuned by the environment as the container image and
// `npm start` run it (see "Memory: glibc's allocator" in host/README.md). Both sides get the
// same calls from the same MCP SDK client, four at a time. Prints a table; asserts nothing.
// Takes several minutes.
import { mkdtemp, rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

import { buildNativeServer, CLI, SAMPLE_TOOLS, sampleStore } from "./bench-setup.mjs";

const MARKS = [Number(process.env.BENCH_MEMORY_FIRST ?? 1000), Number(process.env.BENCH_MEMORY_CALLS ?? 10_000)];
const CONCURRENCY = 4;
const TEXT = "The committee met on Tuesday to review the the budget. Members agreed that an clear plan was needed.";

const work = await mkdtemp(join(tmpdir(), "airlock-bench-memory-"));
const native = await buildNativeServer(work);
const { env, site, siteUrl, document } = await sampleStore(work, SAMPLE_TOOLS, TEXT);

const calls = [
  ["check-grammar", { text: TEXT }],
  ["fetch", { url: siteUrl }],
  ["read-file", { path: document }],
];
const MALLOC_TUNING = { MALLOC_ARENA_MAX: "2", MALLOC_MMAP_THRESHOLD_: "131072" };
// glibc's own arena limit on a 64-bit machine (8 per core), with the mmap threshold left dynamic.
const GLIBC_DEFAULTS = { MALLOC_ARENA_MAX: String(8 * availableParallelism()) };
const resident = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
const peak = (pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;

async function measure(command, args, extraEnv = {}) {
  const transport = new StdioClientTransport({ command, args, env: { ...env, ...extraEnv }, stderr: "ignore" });
  const client = new Client({ name: "bench-memory", version: "0" });
  await client.connect(transport);
  const rows = [];
  let done = 0;
  for (const mark of MARKS) {
    for (const [name, args] of calls) {
      let next = done;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next++ < mark) {
            const result = await client.callTool({ name, arguments: args });
            if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
          }
        }),
      );
    }
    done = mark;
    rows.push({ mark, resident: resident(transport.pid), peak: peak(transport.pid) });
  }
  await client.close();
  return rows;
}

const nativeRows = await measure(process.execPath, [native]);
const sides = [
  // glibc's defaults, asked for through the environment, which serve then leaves alone.
  { name: "glibc's defaults", rows: await measure(process.execPath, [CLI, "serve"], GLIBC_DEFAULTS) },
  { name: "serve's own tuning", rows: await measure(process.execPath, [CLI, "serve"]) },
  { name: "environment's tuning", rows: await measure(process.execPath, [CLI, "serve"], MALLOC_TUNING) },
];
console.log(`Resident memory with the three sample tools, ${CONCURRENCY} calls at a time, ${new Date().toISOString()}`);
const settings = (env) =>
  Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
console.log(`(glibc's defaults: ${settings(GLIBC_DEFAULTS)}; serve's own tuning: none set, serve calls mallopt; environment's tuning: ${settings(MALLOC_TUNING)})`);
const cell = (row) => `${row.resident.toFixed(0)} / ${row.peak.toFixed(0)}`.padStart(16);
console.log(`${"calls of each tool".padEnd(20)}${"native".padStart(16)}${sides.map((side) => `${side.name.padStart(24)}${"ratio".padStart(7)}`).join("")}`);
console.log(`${"(RSS / peak, MiB)".padEnd(20)}`);
for (const [i, mark] of MARKS.entries()) {
  const n = nativeRows[i];
  const ratio = (row) => (row.resident / n.resident).toFixed(2).padStart(7);
  console.log(`${String(mark).padEnd(20)}${cell(n)}${sides.map((side) => `${cell(side.rows[i]).padStart(24)}${ratio(side.rows[i])}`).join("")}`);
}
const growth = (rows) => `${(((rows[1].resident - rows[0].resident) / rows[0].resident) * 100).toFixed(1)} %`;
console.log(`growth of RSS from ${MARKS[0]} to ${MARKS[1]} calls: native ${growth(nativeRows)}, ${sides.map((side) => `${side.name} ${growth(side.rows)}`).join(", ")}`);
site.close();
await rm(work, { recursive: true, force: true });
