#!/usr/bin/env node
// What a hostile component costs the host, measured through the real host and MCP SDK client
// (fixture hostile-guest, no grants): a resource read against a template of 24 variables and a
// literal, and ping while 10 such reads run; a call that makes 200,000 denied socket opens (audit
// bytes written, the host's peak RSS). Beside them, the same template as the backtracking regex
// the host used before, in this process: the baseline. Median of BENCH_RUNS (default 5).
import { copyFile, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { compileTemplate, matchesTemplate } from "../dist/tools/uri-template.js";

const CLI = join(import.meta.dirname, "..", "dist", "cli.bundle.js");
const FIXTURE = join(import.meta.dirname, "..", "test", "fixtures", "hostile-guest", "dist", "hostile-guest.wasm");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const TEMPLATE = `x:${Array.from({ length: 24 }, (_, i) => `{v${i}}`).join("")}!`;

async function timed(fn) {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** The regex the host built from a template before (`{var}` -> `[^/?#]+`), as the baseline. */
function regexMatch(template, uri) {
  const pattern = template
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? "[^/?#]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${pattern}$`).test(uri);
}

console.log("URI template of 24 variables and '!', against 'x:x' + 'a' * n + '/!' (no match), in-process:");
console.log("| n | backtracking regex (before) | linear automaton (now) | ratio |");
console.log("| --- | --- | --- | --- |");
const compiled = compileTemplate(TEMPLATE);
for (const n of [20, 24, 28]) {
  const uri = `x:x${"a".repeat(n)}/!`;
  const before = await timed(() => regexMatch(TEMPLATE, uri));
  const now = median(await Promise.all(Array.from({ length: RUNS }, () => timed(() => matchesTemplate(compiled, uri)))));
  console.log(`| ${n} | ${before.toFixed(1)} ms | ${now.toFixed(3)} ms | ${(before / now).toFixed(0)}x |`);
}

const home = await mkdtemp(join(tmpdir(), "airlock-bench-hostile-"));
try {
  const env = { ...process.env, AIRLOCK_HOME: home };
  await copyFile(FIXTURE, join(home, "hostile-guest.wasm"));
  execFileSync(process.execPath, [CLI, "load", join(home, "hostile-guest.wasm"), "--quiet"], { env });
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, "serve", "--timeout", "120s"], env, stderr: "ignore" });
  const client = new Client({ name: "bench", version: "0" });
  await client.connect(transport);
  await client.callTool({ name: "deny_flood", arguments: { count: 1 } });
  const uri = `x:x${"a".repeat(32)}`;
  const reads = [];
  const pings = [];
  for (let run = 0; run < RUNS; run++) {
    reads.push(await timed(() => client.readResource({ uri }).catch(() => undefined)));
    const concurrent = Array.from({ length: 10 }, () => client.readResource({ uri }).catch(() => undefined));
    pings.push(await timed(() => client.ping()));
    await Promise.all(concurrent);
  }
  console.log(`\nthrough the host (stdio), 'x:x' + 'a' * 32 (the regex would take minutes):`);
  console.log(`  resources/read: ${median(reads).toFixed(1)} ms; ping during 10 concurrent reads: ${median(pings).toFixed(1)} ms`);

  const auditFile = join(home, "audit.jsonl");
  const before = (await stat(auditFile).catch(() => ({ size: 0 }))).size;
  const flood = await timed(() => client.callTool({ name: "deny_flood", arguments: { count: 200_000 } }));
  const written = (await stat(auditFile)).size - before;
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${transport.pid}/status`, "utf8"))[1]) / 1024;
  console.log(`  200,000 denied sockets in one call: ${(flood / 1000).toFixed(1)} s, ${written} bytes of audit log, host peak RSS ${hwm.toFixed(0)} MiB`);
  await client.close();
} finally {
  await rm(home, { recursive: true, force: true });
}
