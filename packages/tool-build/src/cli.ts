#!/usr/bin/env node
// airlock-tool-build [tool-dir]: builds the tool in the current (or given) folder.
import { relative } from "node:path";
import { buildTool } from "./build.js";
import { BuildError } from "./errors.js";

const args = process.argv.slice(2);
if (args.includes("--help") || args.length > 1) {
  console.error("usage: airlock-tool-build [tool-dir]\nBuilds <tool-dir>/wit + src/component.ts into <tool-dir>/dist/<name>.wasm");
  process.exit(args.includes("--help") ? 0 : 2);
}

try {
  const result = await buildTool(args[0] ?? process.cwd());
  const size = (result.bytes / 1024 / 1024).toFixed(2);
  console.log(
    `built ${relative(process.cwd(), result.outFile)}: world ${result.world} (${result.capabilities.join(", ")}), ${size} MB in ${(result.milliseconds / 1000).toFixed(1)} s`,
  );
} catch (error) {
  if (error instanceof BuildError) {
    console.error(`airlock-tool-build: ${error.format()}`);
    process.exit(1);
  }
  throw error;
}
