#!/usr/bin/env node
// Builds every test fixture component under test/fixtures/ with the same tool build every tool uses.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { buildTool } from "@airlock/tool-build";

const root = join(import.meta.dirname, "..", "test", "fixtures");
for (const name of readdirSync(root)) {
  const result = await buildTool(join(root, name));
  console.log(`built fixture ${name}: ${(result.bytes / 1024 / 1024).toFixed(2)} MB in ${(result.milliseconds / 1000).toFixed(1)} s`);
}
