// What a tools/call came back with, in the terms the checks speak: a result, an error result,
// a permission denial, a crash (trap), or a refusal by the host (invalid arguments, a limit).
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { GrantKind } from "./case-file.js";

export interface Outcome {
  kind: "ok" | "error-result" | "crash" | "invalid-arguments" | "limit" | "protocol-error";
  /** The text content, joined. */
  text: string;
  /** structuredContent.result of a successful call. */
  result?: unknown;
  /** structuredContent.error of a WIT error result. */
  error?: unknown;
  /** Permission denials: recorded by the host, or named by the grant the error asks for. */
  denied: GrantKind[];
}

const AUDIT_KIND: Record<string, GrantKind> = { file: "storage", network: "network", environment: "environment" };
const GRANT_TOOL: Record<GrantKind, string> = {
  storage: "grant-storage-permission",
  network: "grant-network-permission",
  environment: "grant-environment-variable-permission",
};

export function classify(result: CallToolResult): Outcome {
  const text = result.content.map((c) => (c.type === "text" ? c.text : `[${c.type}]`)).join("\n");
  const structured = result.structuredContent as { result?: unknown; error?: unknown } | undefined;
  const audit = (result._meta?.["airlock/audit"] ?? {}) as { denied?: string[] };
  const denied = new Set<GrantKind>();
  for (const line of audit.denied ?? []) {
    const kind = AUDIT_KIND[line.split(" ")[0] ?? ""];
    if (kind) denied.add(kind);
  }
  if (result.isError) for (const [kind, tool] of Object.entries(GRANT_TOOL)) if (text.includes(tool)) denied.add(kind as GrantKind);
  const base = { text, denied: [...denied] };
  if (result._meta?.["airlock-conformance/protocol-error"]) return { kind: "protocol-error", ...base };
  if (!result.isError) return { kind: "ok", result: structured?.result, ...base };
  if (structured && "error" in structured) return { kind: "error-result", error: structured.error, ...base };
  if (/^invalid arguments for /.test(text)) return { kind: "invalid-arguments", ...base };
  if (/over the limit of|exceeded the time limit|memory limit|busy/.test(text.split("\n")[0] ?? "")) return { kind: "limit", ...base };
  return { kind: "crash", ...base };
}

/** A short account of an outcome for a check line. */
export function describeOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case "ok":
      return `result ${show(outcome.result)}`;
    case "error-result":
      return `error result ${show(outcome.error)}`;
    case "crash":
      return `a crash (trap): ${firstLine(outcome.text)}`;
    case "invalid-arguments":
      return `the host refused the arguments: ${firstLine(outcome.text)}`;
    case "limit":
      return `a limit: ${firstLine(outcome.text)}`;
    case "protocol-error":
      return `a protocol error: ${firstLine(outcome.text)}`;
  }
}

export function show(value: unknown, max = 240): string {
  const text = value === undefined ? "nothing" : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

export function firstLine(text: string, max = 300): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > max ? `${line.slice(0, max)}...` : line;
}
