// Runs the official MCP conformance suite's server scenarios against a URL, with a baseline of
// expected failures in the suite's own format, and reads back every scenario's checks. Used by
// the 2025-11-25 (0.1.13) and 2026-07-28 (0.2.0-alpha.12) conformance tests.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";

export interface Check {
  id: string;
  status: string;
  errorMessage?: string;
  details?: Record<string, unknown>;
}

export interface SuiteRun {
  code: number;
  stdout: string;
  /** Each scenario's checks, by scenario id (a scenario that ran no check has none). */
  checks: Map<string, Check[]>;
  /** Removes the results (kept when KEEP_CONFORMANCE is set, for reading them by hand). */
  cleanup(): Promise<void>;
}

/** The baseline file's entries (scenario, or scenario:check-id), each with its written reason. */
export async function expectedFailures(baselineFile: string): Promise<Record<string, string>> {
  return (parse(await readFile(baselineFile, "utf8")) as { server: Record<string, string> }).server;
}

export async function runSuite(suite: string, url: string, baselineFile: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<SuiteRun> {
  const outDir = await mkdtemp(join(tmpdir(), "airlock-conformance-"));
  // The suite's own baseline format: the entries, without the reasons.
  const baseline = join(outDir, "baseline.yml");
  await writeFile(baseline, stringify({ server: Object.keys(await expectedFailures(baselineFile)) }));
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(process.execPath, [suite, "server", "--url", url, ...args, "--expected-failures", baseline, "-o", join(outDir, "results")], { env }, (error, out, err) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: out + err }),
    );
  });
  const checks = new Map<string, Check[]>();
  for (const dir of await readdir(join(outDir, "results"))) {
    const scenario = /^server-(.+)-\d{4}-\d\d-\d\dT/.exec(dir)![1]!;
    const file = await readFile(join(outDir, "results", dir, "checks.json"), "utf8").catch(() => undefined);
    if (file !== undefined) checks.set(scenario, JSON.parse(file) as Check[]);
  }
  return { code, stdout, checks, cleanup: () => (process.env.KEEP_CONFORMANCE ? Promise.resolve() : rm(outDir, { recursive: true, force: true })) };
}
