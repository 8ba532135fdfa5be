#!/usr/bin/env node
// Where a 1,000-word grammar check spends its time, rule by rule: the same checker code natively
// in Node (with its JIT, and with --jitless, an interpreter like the component's), and in the
// component through Airlock (check-grammar with `options.rules` set to one rule). Prints a table
// of medians; asserts nothing. The component runs its JavaScript in StarlingMonkey's interpreter
// (no JIT inside wasm), so the column to compare it with is --jitless.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { CLI, SAMPLE_TOOLS } from "./bench-setup.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const here = import.meta.dirname;
const checkerDir = join(here, "..", "..", "tools", "grammar-checker");
const RULES = ["repeated-words", "indefinite-article", "spelling", "contractions", "quotes", "sentence-spacing", "redundant-acronyms", "plain-language", "confused-words"];
const TEXT =
  "The committee met on Tuesday to review the the budget. Members agreed that an clear plan was needed before any money could be spent, and they asked the treasurer to prepare a report for the next meeting.";
// The same ~1,000 words as compare.mjs's long row.
const LONG_TEXT = Array.from({ length: 27 }, () => TEXT).join("\n\n");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sets = [["all rules", undefined], ...RULES.map((rule) => [rule, [rule]])];

const work = await mkdtemp(join(tmpdir(), "airlock-grammar-rules-"));

// The checker bundled as the native server bundles it, timing each rule set in its own process.
const entry = join(work, "entry.ts");
await writeFile(
  entry,
  `import aff from ${JSON.stringify(join(checkerDir, "node_modules", "dictionary-en", "index.aff"))};
import dic from ${JSON.stringify(join(checkerDir, "node_modules", "dictionary-en", "index.dic"))};
import { createChecker } from ${JSON.stringify(join(checkerDir, "src", "checker.ts"))};
const check = createChecker({ aff, dic });
const sets = ${JSON.stringify(sets)};
const text = ${JSON.stringify(LONG_TEXT)};
const out = {};
for (const [name, rules] of sets) {
  const options = rules ? { rules } : {};
  for (let i = 0; i < 3; i++) check(text, options);
  const times = [];
  for (let i = 0; i < ${RUNS}; i++) { const t = performance.now(); check(text, options); times.push(performance.now() - t); }
  out[name] = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}
console.log(JSON.stringify(out));
`,
);
const bundle = join(work, "checker.mjs");
await build({ entryPoints: [entry], outfile: bundle, bundle: true, platform: "node", format: "esm", loader: { ".aff": "text", ".dic": "text" }, logLevel: "silent" });
const native = (flags) => JSON.parse(execFileSync(process.execPath, [...flags, bundle], { encoding: "utf8" }));
const jit = native([]);
const jitless = native(["--jitless"]);

// Airlock: the grammar checker alone in a store, served over stdio.
const env = { ...process.env, AIRLOCK_HOME: join(work, "home") };
execFileSync(process.execPath, [CLI, "load", SAMPLE_TOOLS[0], "--quiet"], { env });
const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, "serve"], env, stderr: "ignore" });
const client = new Client({ name: "bench", version: "0" });
await client.connect(transport);
const airlock = {};
for (const [name, rules] of sets) {
  const args = { text: LONG_TEXT, ...(rules ? { options: { rules } } : {}) };
  for (let i = 0; i < 3; i++) await client.callTool({ name: "check-grammar", arguments: args });
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const result = await client.callTool({ name: "check-grammar", arguments: args });
    times.push(performance.now() - t);
    if (result.isError) throw new Error(`check-grammar failed: ${JSON.stringify(result.content)}`);
  }
  airlock[name] = median(times);
}
await client.close();
await rm(work, { recursive: true, force: true });

const words = LONG_TEXT.split(/\s+/).length;
console.log(`A ${words}-word check, one rule at a time (median of ${RUNS}, ms), ${new Date().toISOString()}`);
console.log(`${"rules".padEnd(20)}${"native".padStart(9)}${"--jitless".padStart(11)}${"airlock".padStart(10)}${"/native".padStart(9)}${"/jitless".padStart(10)}`);
for (const [name] of sets) {
  const row = [jit[name], jitless[name], airlock[name]];
  console.log(
    `${name.padEnd(20)}${row.map((v, i) => v.toFixed(1).padStart(i === 0 ? 9 : i === 1 ? 11 : 10)).join("")}${(airlock[name] / jit[name]).toFixed(1).padStart(9)}${(airlock[name] / jitless[name]).toFixed(1).padStart(10)}`,
  );
}
