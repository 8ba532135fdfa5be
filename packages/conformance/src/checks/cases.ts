// The case file's cases, each through MCP with its grants for that case only; then every case
// that needed a grant again without it, which must fail as a permission denial, not a crash.
import { fileURLToPath } from "node:url";
import type { Case, GrantKind, Grants } from "../case-file.js";
import { check, type Check } from "../check.js";
import { meets } from "../expectations.js";
import type { Served } from "../host-process.js";
import { classify, describeOutcome, firstLine } from "../outcome.js";
import { substitute, type Placeholders } from "../placeholders.js";

export interface CaseRun {
  checks: Check[];
  /** A case that passed with a result and needs no grant: the kit's "good call". */
  goodCall?: { tool: string; arguments: Record<string, unknown> };
}

export async function runCases(served: Served, id: string, cases: Case[], placeholders: Placeholders): Promise<CaseRun> {
  const run: CaseRun = { checks: [] };
  for (const c of cases) {
    const name = `case "${c.name}"`;
    let args: Record<string, unknown>;
    let grants: Grants | undefined;
    try {
      args = substitute(c.arguments, placeholders);
      grants = c.grants && substitute(c.grants, placeholders);
    } catch (error) {
      run.checks.push(check(name, name, false, (error as Error).message));
      continue;
    }
    const granted = grants ? await applyGrants(served, id, grants) : undefined;
    if (granted) {
      run.checks.push(check(name, name, false, granted));
      await served.call("reset-permission", { component_id: id });
      continue;
    }
    const outcome = classify(await served.call(c.tool, args));
    if (grants) await served.call("reset-permission", { component_id: id });
    const verdict = meets(c.expect, outcome);
    run.checks.push(check(name, name, verdict.ok, verdict.message));
    if (verdict.ok && !grants && outcome.kind === "ok") run.goodCall ??= { tool: c.tool, arguments: args };
    if (grants) run.checks.push(await withoutGrants(served, c, args, grants));
  }
  return run;
}

/** Through the built-in MCP tools, as an agent would; an error text when one is refused. */
async function applyGrants(served: Served, id: string, grants: Grants): Promise<string | undefined> {
  const calls: [string, Record<string, unknown>][] = [
    ...(grants.storage ?? []).map((g): [string, Record<string, unknown>] => ["grant-storage-permission", { uri: `fs://${storagePath(g.uri)}`, access: g.access }]),
    ...(grants.network ?? []).map((g): [string, Record<string, unknown>] => ["grant-network-permission", { host: g.host }]),
    ...(grants.environment ?? []).map((g): [string, Record<string, unknown>] => ["grant-environment-variable-permission", { key: g.key }]),
  ];
  for (const [tool, details] of calls) {
    const result = await served.call(tool, { component_id: id, details });
    if (result.isError) return `the host refused ${tool} ${JSON.stringify(details)}: ${firstLine(classify(result).text)}`;
  }
  return undefined;
}

/** fs:///a/b/../c -> /a/c: the host refuses `..` in policy URIs, and {tool} is absolute. */
function storagePath(uri: string): string {
  return fileURLToPath(new URL(uri.replace(/^fs:/, "file:")));
}

async function withoutGrants(served: Served, c: Case, args: Record<string, unknown>, grants: Grants): Promise<Check> {
  const name = `no grants: case "${c.name}"`;
  const kinds = (Object.keys(grants) as GrantKind[]).filter((k) => grants[k]?.length);
  const outcome = classify(await served.call(c.tool, args));
  const received = describeOutcome(outcome);
  if (outcome.kind === "crash") return check(name, name, false, `expected a permission denial (${kinds.join(", ")}), received ${received}`);
  if (outcome.kind === "ok") return check(name, name, false, `expected a permission denial (${kinds.join(", ")}), but the call succeeded without its grants: ${received}`);
  const denied = kinds.filter((k) => outcome.denied.includes(k));
  if (denied.length === 0) {
    return check(name, name, false, `expected a permission denial (${kinds.join(", ")}) naming the grant to give, received ${received}`);
  }
  return check(name, name, true, `denied ${denied.join(", ")} as a permission error, not a crash`);
}
