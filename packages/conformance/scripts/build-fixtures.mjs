#!/usr/bin/env node
// Builds the deliberately broken tools under test/fixtures/ with the same tool build as every
// tool in tools/ (@airlock/tool-build), into test/fixtures/<name>/dist/<name>.wasm.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { buildTool } from "@airlock/tool-build";

const root = join(import.meta.dirname, "..", "test", "fixtures");
const only = process.argv.slice(2);

for (const name of await readdir(root)) {
  if (only.length && !only.includes(name)) continue;
  const started = performance.now();
  await buildTool(join(root, name));
  console.log(`built fixture ${name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
