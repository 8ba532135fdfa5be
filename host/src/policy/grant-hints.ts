// For a denied capability: the exact grant that would allow it, as an MCP tool call and as a
// CLI command (its arguments shell-quoted: the path comes from the guest).
import type { Decision } from "../executor/sandbox/decisions.js";
import { shellQuote } from "../shell-quote.js";
import { uriOfPath } from "./policy.js";
import { broadGrantReason } from "./grant-scope.js";
import { airlockCommand } from "../cli-command.js";

export function grantHint(componentId: string, decision: Decision): string | undefined {
  const grant = decision.grant;
  if (!grant) return undefined;
  if (grant.kind === "storage") {
    if (broadGrantReason(grant.path)) return undefined;
    const details = { uri: uriOfPath(grant.path), access: grant.access };
    return `grant-storage-permission ${JSON.stringify({ component_id: componentId, details })} (CLI: ${airlockCommand()} grant ${shellQuote(componentId)} storage ${shellQuote(grant.path)} --access ${grant.access.join(",")})`;
  }
  return `grant-network-permission ${JSON.stringify({ component_id: componentId, details: { host: grant.host } })} (CLI: ${airlockCommand()} grant ${shellQuote(componentId)} network ${shellQuote(grant.host)})`;
}

/** A guest chooses the paths it asks for: quote them, cut them, so they read as data. */
function quoted(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}...` : text);
}

/** One line per denial: what was denied and, where a grant would allow it, which. */
export function explainDenials(componentId: string, decisions: Decision[]): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const raw of decisions) {
    if (raw.allowed) continue;
    const d = raw.kind === "file" ? { ...raw, target: quoted(raw.target) } : raw;
    const what =
      d.kind === "file" ? `${d.mode} access to ${d.target}` : d.mode === "socket" ? `opening a ${d.target}` : d.kind === "network" ? `${d.mode} request to ${d.target}` : `reading ${d.target}`;
    const hint = grantHint(componentId, d);
    const tooBroad = d.grant?.kind === "storage" ? broadGrantReason(d.grant.path) : undefined;
    const advice = tooBroad
      ? ` No grant is suggested: ${tooBroad}, and granting it would expose far more than this path. Copy what the tool needs into a directory of its own and grant that.`
      : hint
        ? ` To allow it: ${hint}`
        : "";
    const line = `Airlock denied ${what}: ${d.reason ?? "not granted"}.${advice}`;
    if (!seen.has(line)) {
      seen.add(line);
      lines.push(line);
    }
  }
  return lines;
}
