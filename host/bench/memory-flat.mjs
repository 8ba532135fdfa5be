#!/usr/bin/env node
// `pnpm --filter @airlock/host bench:memory`: resident memory of Airlock and of the native server
// with the three sample tools, after 1,000 calls of each tool and again after 10,000 (set
// BENCH_MEMORY_CALLS for another second mark): a host whose memory creeps with calls shows it
// here. Airlock runs twice: as `node dist/cli.js serve` starts it, and with glibc's allocator
// tuned as the container image and `npm start` run it (MALLOC_TUNING below; see "Memory" in
// host/README.md). Both sides get the same calls from the same MCP SDK client, four at a time. Prints a
// table; asserts nothing. Takes several minutes.
import { mkdtemp, rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
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
const airlockRows = await measure(process.execPath, [CLI, "serve"]);
const tunedRows = await measure(process.execPath, [CLI, "serve"], MALLOC_TUNING);
console.log(`Resident memory with the three sample tools, ${CONCURRENCY} calls at a time, ${new Date().toISOString()}`);
console.log(
  `(tuned: ${Object.entries(MALLOC_TUNING)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ")})`,
);
const cell = (row) => `${row.resident.toFixed(0)} / ${row.peak.toFixed(0)}`.padStart(22);
console.log(`${"calls of each tool".padEnd(22)}${"native RSS / peak".padStart(22)}${"airlock RSS / peak".padStart(22)}${"ratio".padStart(8)}${"tuned RSS / peak".padStart(22)}${"ratio".padStart(8)}`);
for (const [i, mark] of MARKS.entries()) {
  const n = nativeRows[i];
  const ratio = (row) => (row.resident / n.resident).toFixed(2).padStart(8);
  console.log(`${String(mark).padEnd(22)}${cell(n)}${cell(airlockRows[i])}${ratio(airlockRows[i])}${cell(tunedRows[i])}${ratio(tunedRows[i])}`);
}
const growth = (rows) => `${(((rows[1].resident - rows[0].resident) / rows[0].resident) * 100).toFixed(1)} %`;
console.log(`growth of RSS from ${MARKS[0]} to ${MARKS[1]} calls: native ${growth(nativeRows)}, airlock ${growth(airlockRows)}, tuned ${growth(tunedRows)}`);
site.close();
await rm(work, { recursive: true, force: true });
