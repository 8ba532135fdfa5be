// Runs tsc over the tool (its tsconfig.json) and turns its output into file:line:column lines.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { BuildError } from "./errors.js";

const exec = promisify(execFile);

export interface TscError {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
}

/** `src/a.ts(3,7): error TS2322: Type ...` (with indented continuation lines) -> errors. */
export function parseTscOutput(output: string): TscError[] {
  const errors: TscError[] = [];
  for (const line of output.split("\n")) {
    const match = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    if (match) errors.push({ file: match[1]!, line: Number(match[2]), column: Number(match[3]), code: match[4]!, message: match[5]! });
    else if (line.startsWith("  ") && errors.length > 0) errors[errors.length - 1]!.message += `\n    ${line.trim()}`;
  }
  return errors;
}

function tscPath(toolDir: string): string {
  for (const from of [join(toolDir, "package.json"), import.meta.url]) {
    try {
      return createRequire(from).resolve("typescript/bin/tsc");
    } catch {
      // try the next place
    }
  }
  throw new BuildError("cannot find TypeScript to type-check the tool", "add typescript to the tool's devDependencies and run pnpm install");
}

export async function typecheck(toolDir: string, options: { generatedDir?: string; entryLabel: string }): Promise<void> {
  if (!existsSync(join(toolDir, "tsconfig.json"))) return;
  try {
    await exec(process.execPath, [tscPath(toolDir), "-p", "tsconfig.json", "--noEmit", "--pretty", "false"], { cwd: toolDir, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const output = `${(error as { stdout?: string }).stdout ?? ""}${(error as { stderr?: string }).stderr ?? ""}`;
    const errors = parseTscOutput(output);
    if (errors.length === 0) throw new BuildError(`tsc failed: ${output.trim().split("\n").slice(0, 8).join("\n  ")}`, "run tsc -p tsconfig.json --noEmit in the tool folder");
    const generated = options.generatedDir ? relative(toolDir, options.generatedDir) : undefined;
    const lines = errors.slice(0, 10).map((e) => {
      const inCheck = generated && e.file === join(generated, "check.ts");
      return inCheck ? `${options.entryLabel}: its exports do not match the world's WIT: ${e.message}` : `${e.file}:${e.line}:${e.column}: ${e.message} (${e.code})`;
    });
    if (errors.length > 10) lines.push(`... and ${errors.length - 10} more`);
    throw new BuildError(
      `TypeScript found ${errors.length} error${errors.length === 1 ? "" : "s"}:\n${lines.join("\n")}`,
      generated ? `fix the source at those lines; the world's types are generated from wit/ into ${generated}/` : "fix the source at those lines",
    );
  }
}
