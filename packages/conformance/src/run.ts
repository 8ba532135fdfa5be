// runConformance: every check of one component through the real host and a real MCP client.
// One temporary $AIRLOCK_HOME and one `airlock serve` for the whole run, plus a short-lived
// second serve for the timeout.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { GrantKind } from "./case-file.js";
import { check, type Check, type ConformanceReport } from "./check.js";
import { runCases } from "./checks/cases.js";
import { DESCRIPTION, descriptionCheck, hasToolFolder } from "./checks/description.js";
import { invalidArgumentChecks, MAX_INPUT_BYTES, oversizedInputCheck, timeoutCheck, type GoodCall } from "./checks/robustness.js";
import { loadComponent, schemaChecks, servesCheck, worldCheck } from "./checks/static.js";
import { HostHome, type Served } from "./host-process.js";
import { firstLine } from "./outcome.js";
import { substitute, type Placeholders } from "./placeholders.js";
import { serveDirectory, type StaticServer } from "./static-server.js";
import { resolveTarget, staleBuild, type ConformanceOptions, type Target } from "./target.js";

export interface RunOptions extends ConformanceOptions {
  /** Called with each check as soon as it is made (the CLI prints it). */
  onCheck?: (check: Check) => void;
}

/** The grant each capability world needs. */
const GRANT_OF_WORLD: Record<string, GrantKind> = { files: "storage", http: "network", env: "environment" };

export async function runConformance(options: RunOptions): Promise<ConformanceReport> {
  const target = resolveTarget(options);
  const checks: Check[] = [];
  const add = (...made: Check[]) => {
    for (const c of made) {
      checks.push(c);
      options.onCheck?.(c);
    }
  };
  const home = await HostHome.create();
  let www: StaticServer | undefined;
  let served: Served | undefined;
  try {
    // What the tool says about itself needs no build: it is checked first, whatever follows.
    if (hasToolFolder(target.dir)) add(descriptionCheck(target.dir));
    const stale = staleBuild(target);
    if (stale) {
      add(check("loads", "loads", false, stale));
      return { target: target.dir, checks };
    }
    const inspected = await loadComponent(home, target);
    if ("problem" in inspected) {
      add(check("loads", "loads", false, inspected.problem));
      return { target: target.dir, checks };
    }
    try {
      served = await home.serve("--max-input", String(MAX_INPUT_BYTES));
    } catch (error) {
      add(check("loads", "loads", false, `airlock serve did not start: ${(error as Error).message}`));
      return { target: target.dir, checks };
    }
    const serves = await servesCheck(served, target, inspected);
    add(serves);
    if (!serves.ok) return { target: target.dir, checks };
    add(...schemaChecks(inspected.tools));
    add(await worldCheck(target, inspected.imports));
    const wwwDir = join(target.dir, "conformance", "www");
    if (existsSync(wwwDir)) www = await serveDirectory(wwwDir);
    const placeholders: Placeholders = { tool: target.dir, ...(www && { http: www.url, "http-host": www.host }) };
    const run = await runCases(
      served,
      target.id,
      inspected.tools.map((t) => t.name),
      target.cases.cases,
      placeholders,
    );
    add(...run.checks);
    if (target.cases.cases.length > 0)
      add(
        coverageCheck(
          target,
          inspected.tools.map((t) => t.name),
        ),
      );
    const untested = ungrantedCapabilities(target);
    if (untested.length > 0) add(noGrantCaseMissing(target, untested));
    add(...(await invalidArgumentChecks(served, inspected.tools, run.goodCall)));
    const first = inspected.tools[0];
    if (first) add(await oversizedInputCheck(served, first, run.goodCall));
    add(await timeoutCheck(home, served, run.goodCall, fallbackCall(target, placeholders)));
    return { target: target.dir, checks };
  } catch (error) {
    // The host went away mid-run (or the kit has a bug): one failed check saying so, with what
    // the host wrote to stderr.
    const stderr = served ? firstLine(served.stderr().trim().split("\n").at(-1) ?? "") : "";
    add(check("host", "host", false, `the run stopped: ${(error as Error).message}${stderr ? ` (host stderr: ${stderr})` : ""}`));
    return { target: target.dir, checks };
  } finally {
    await served?.close().catch(() => undefined);
    await www?.close();
    await home.cleanup();
  }
}

/** Capabilities the declared worlds give that no case grants: nothing shows their denial. */
export function ungrantedCapabilities(target: Target): GrantKind[] {
  const needed = [...new Set(target.worlds.map((w) => GRANT_OF_WORLD[w]).filter((k): k is GrantKind => Boolean(k)))];
  return needed.filter((kind) => !target.cases.cases.some((c) => c.grants?.[kind]?.length));
}

/** With a case file, every tool must be called by some case: a tool no case calls is unchecked. */
function coverageCheck(target: Target, tools: string[]): Check {
  const called = new Set(target.cases.cases.map((c) => c.tool));
  const uncalled = tools.filter((t) => !called.has(t));
  return uncalled.length === 0
    ? check(COVERAGE, COVERAGE, true, `${tools.length} of ${tools.length} tools called by a case`)
    : check(COVERAGE, COVERAGE, false, `no case in ${target.cases.file} calls ${uncalled.join(", ")}: add a case for each, or a bug in them goes unseen`);
}

const COVERAGE = "every tool has a case";

function noGrantCaseMissing(target: Target, kinds: GrantKind[]): Check {
  const where = target.cases.cases.length > 0 ? target.cases.file : `${join(target.dir, "conformance.yaml")} (there is none)`;
  return check(
    "no grants",
    "no grants",
    false,
    `the tool's world needs ${kinds.join(" and ")} grants, but no case in ${where} grants ${kinds.join(" or ")}, so nothing shows that without it the tool fails as a permission error: add a case with grants.${kinds[0]}`,
  );
}

function fallbackCall(target: Target, placeholders: Placeholders): GoodCall {
  const first = target.cases.cases[0];
  if (!first) return undefined;
  try {
    return { name: `case "${first.name}"`, tool: first.tool, arguments: substitute(first.arguments, placeholders), expect: substitute(first.expect, placeholders) };
  } catch {
    return undefined;
  }
}

/** The checks a run will report, by group, known before running (for test runners). */
export function planConformance(options: ConformanceOptions): string[] {
  const target = resolveTarget(options);
  const groups = [...(hasToolFolder(target.dir) ? [DESCRIPTION] : []), "loads", "schemas", "world"];
  for (const c of target.cases.cases) {
    groups.push(`case "${c.name}"`);
    if (c.grants) groups.push(`no grants: case "${c.name}"`);
  }
  if (target.cases.cases.length > 0) groups.push(COVERAGE);
  if (ungrantedCapabilities(target).length > 0) groups.push("no grants");
  groups.push("invalid arguments", "oversized input", "timeout");
  return groups;
}
