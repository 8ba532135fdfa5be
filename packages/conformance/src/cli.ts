#!/usr/bin/env node
// airlock-conformance <tool-dir | component.wasm> [--cases FILE] [--world pure|files|http|env]
// Prints one line per check and `N passed, N failed`; exit 1 when a check failed or the tool
// cannot be checked, 2 on bad usage.
import { existsSync, statSync } from "node:fs";
import { formatCheck, summary } from "./check.js";
import { ConformanceError, UsageError } from "./errors.js";
import { runConformance } from "./run.js";
import type { ConformanceOptions } from "./target.js";

const USAGE = "usage: airlock-conformance <tool-dir | component.wasm> [--cases FILE] [--world pure|files|http|env]";

export function parseArguments(args: string[]): ConformanceOptions {
  const options: ConformanceOptions = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--cases" || arg === "--world") {
      const value = args[++i];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`${arg} needs a value\n${USAGE}`);
      if (arg === "--cases") options.casesFile = value;
      else options.world = value;
    } else if (arg.startsWith("--")) {
      throw new UsageError(`unknown option ${arg}\n${USAGE}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) throw new UsageError(USAGE);
  const path = positional[0]!;
  if (!existsSync(path)) throw new UsageError(`${path} does not exist\n${USAGE}`);
  if (statSync(path).isDirectory()) options.toolDir = path;
  else if (path.endsWith(".wasm")) options.component = path;
  else throw new UsageError(`${path} is neither a tool folder nor a .wasm component\n${USAGE}`);
  return options;
}

// Piped into `head`: stop quietly when the reader goes away.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    process.exit(0);
  }
  const report = await runConformance({ ...parseArguments(args), onCheck: (c) => console.log(formatCheck(c)) });
  console.log(summary(report.checks));
  process.exitCode = report.checks.every((c) => c.ok) ? 0 : 1;
} catch (error) {
  if (error instanceof UsageError || error instanceof ConformanceError) {
    console.error(`airlock-conformance: ${error.message}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  }
  throw error;
}
