// A tool outcome as an MCP CallToolResult: text for people, structuredContent for programs, and
// in `_meta` a summary of what the call touched. Denials are explained on failed calls.
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { ToolOutcome } from "../component-host.js";
import type { Decision } from "../executor/sandbox/decisions.js";
import { explainDenials } from "../policy/grant-hints.js";

export const AUDIT_META_KEY = "airlock/audit";
export const TRAP_META_KEY = "airlock/trap";
/** Which of the host's limits stopped the call (time, memory, output, busy, cancelled, unloaded): a client may retry a busy call. */
export const LIMIT_META_KEY = "airlock/limit";
/** Seconds after which a rate-limited call may be made again. */
export const RETRY_AFTER_META_KEY = "airlock/retryAfter";

export function toCallToolResult(outcome: ToolOutcome): CallToolResult {
  const result = baseResult(outcome);
  const decisions = outcome.decisions ?? [];
  if (decisions.length > 0) result._meta = { [AUDIT_META_KEY]: summarize(decisions) };
  // The engine's own words for a trap whose message is the tool's (an uncaught exception).
  if (outcome.kind === "trap" && outcome.detail) result._meta = { ...result._meta, [TRAP_META_KEY]: outcome.detail };
  if (outcome.kind === "limit") result._meta = { ...result._meta, [LIMIT_META_KEY]: outcome.reason };
  if (outcome.kind === "limit" && outcome.retryAfterSeconds !== undefined) result._meta = { ...result._meta, [RETRY_AFTER_META_KEY]: outcome.retryAfterSeconds };
  const denials = outcome.componentId ? explainDenials(outcome.componentId, decisions) : [];
  if (denials.length > 0 && result.isError) result.content.push({ type: "text", text: denials.join("\n") });
  return result;
}

function baseResult(outcome: ToolOutcome): CallToolResult {
  switch (outcome.kind) {
    case "ok":
      if (outcome.json === undefined) return { content: [{ type: "text", text: "done" }] };
      return { content: [{ type: "text", text: asText(outcome.json) }], structuredContent: { result: outcome.json } };
    case "error-result":
      return {
        content: [{ type: "text", text: `error: ${asText(outcome.json)}` }],
        structuredContent: { error: outcome.json },
        isError: true,
      };
    case "content":
      return {
        content: outcome.content,
        ...(outcome.structured ? { structuredContent: outcome.structured } : {}),
        ...(outcome.isError ? { isError: true } : {}),
      };
    case "invalid-arguments":
    case "trap":
    case "limit":
      return { content: [{ type: "text", text: outcome.message }], isError: true };
  }
}

/** `{allowed: ["file read /data/a"], denied: ["network GET evil.example"]}`, at most 20 each. */
function summarize(decisions: Decision[]): { allowed: string[]; denied: string[] } {
  const line = (d: Decision) => `${d.kind} ${d.mode} ${d.target}`;
  const unique = (items: string[]) => [...new Set(items)].slice(0, 20);
  return { allowed: unique(decisions.filter((d) => d.allowed).map(line)), denied: unique(decisions.filter((d) => !d.allowed).map(line)) };
}

function asText(json: unknown): string {
  return typeof json === "string" ? json : JSON.stringify(json, null, 2);
}
