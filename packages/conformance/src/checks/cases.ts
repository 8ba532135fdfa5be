// The case file's cases, each through MCP with its grants for that case only; then every case
// that needed a grant again without it, which must fail as a permission denial, not a crash.
// Cases that share the same grants run together, so the policy changes twice per set of grants.
import { fileURLToPath } from "node:url";
import type { Case, Expectation, GrantKind, Grants } from "../case-file.js";
import { check, type Check } from "../check.js";
import { meets } from "../expectations.js";
import type { Served } from "../host-process.js";
import { classify, describeOutcome, firstLine } from "../outcome.js";
import { substitute, type Placeholders } from "../placeholders.js";

/** A call with what it must give; the kit repeats one after bad input to see the host still serves. */
export interface KnownCall {
  name: string;
  tool: string;
  arguments: Record<string, unknown>;
  expect: Expectation;
}

export interface CaseRun {
  checks: Check[];
  /** The first case that passed without grants. */
  goodCall?: KnownCall;
}

interface Prepared extends KnownCall {
  grants?: Grants;
}

export async function runCases(served: Served, id: string, tools: string[], cases: Case[], placeholders: Placeholders): Promise<CaseRun> {
  const results = new Map<string, Check[]>();
  const prepared: Prepared[] = [];
  for (const c of cases) {
    const name = `case "${c.name}"`;
    if (!tools.includes(c.tool)) {
      results.set(name, [check(name, name, false, `the component has no tool "${c.tool}" (it offers ${tools.join(", ") || "none"})`)]);
      continue;
    }
    try {
      const p: Prepared = { name, tool: c.tool, arguments: substitute(c.arguments, placeholders), expect: substitute(c.expect, placeholders) };
      if (c.grants) p.grants = substitute(c.grants, placeholders);
      prepared.push(p);
    } catch (error) {
      results.set(name, [check(name, name, false, (error as Error).message)]);
    }
  }
  const run: CaseRun = { checks: [] };
  for (const p of prepared.filter((p) => !p.grants)) {
    const verdict = meets(p.expect, classify(await served.call(p.tool, p.arguments)));
    results.set(p.name, [check(p.name, p.name, verdict.ok, verdict.message)]);
    if (verdict.ok) run.goodCall ??= p;
  }
  const bySet = new Map<string, Prepared[]>();
  for (const p of prepared.filter((p) => p.grants)) bySet.set(JSON.stringify(p.grants), [...(bySet.get(JSON.stringify(p.grants)) ?? []), p]);
  for (const group of bySet.values()) {
    const refused = await applyGrants(served, id, group[0]!.grants!);
    for (const p of group) {
      const verdict = refused ? { ok: false, message: refused } : meets(p.expect, classify(await served.call(p.tool, p.arguments)));
      results.set(p.name, [check(p.name, p.name, verdict.ok, verdict.message)]);
    }
    await served.call("reset-permission", { component_id: id });
  }
  for (const p of prepared.filter((p) => p.grants)) results.get(p.name)!.push(await withoutGrants(served, p));
  for (const c of cases) run.checks.push(...(results.get(`case "${c.name}"`) ?? []));
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

/** fs:///a/b/../c -> /a/c: the host refuses `..` in policy URIs. */
function storagePath(uri: string): string {
  return fileURLToPath(new URL(uri.replace(/^fs:/, "file:")));
}

async function withoutGrants(served: Served, p: Prepared): Promise<Check> {
  const name = `no grants: ${p.name}`;
  const kinds = (Object.keys(p.grants ?? {}) as GrantKind[]).filter((k) => p.grants?.[k]?.length);
  const outcome = classify(await served.call(p.tool, p.arguments));
  const received = describeOutcome(outcome);
  const wanted = `expected a permission denial (${kinds.join(", ")}) naming the grant to give`;
  if (outcome.kind === "ok") return check(name, name, false, `${wanted}, but the call succeeded without its grants: ${received}`);
  if (outcome.kind === "crash") return check(name, name, false, `${wanted}, received ${received}`);
  const denied = kinds.filter((k) => outcome.denied.includes(k));
  if (denied.length === 0) return check(name, name, false, `${wanted}, received ${received}`);
  return check(name, name, true, `denied ${denied.join(", ")} as a permission error, not a crash`);
}
