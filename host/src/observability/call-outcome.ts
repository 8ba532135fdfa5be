// How a tool call ended, as the one word the metrics count it under. A pure function of the
// call's outcome, so the mapping is tested on its own (test/unit/call-outcome.test.ts).
import type { ToolOutcome } from "../component-host.js";
import type { LimitReason } from "../executor/limit-failures.js";

/** `rate_limited`: refused by the client's rate limit (limits.rate) before it ran. */
export const CALL_OUTCOMES = ["ok", "tool_error", "denied", "time_limit", "memory_limit", "output_limit", "busy", "cancelled", "unloaded", "invalid_arguments", "trap", "rate_limited"] as const;

export type CallOutcomeLabel = (typeof CALL_OUTCOMES)[number];

const LIMITS: Record<LimitReason, CallOutcomeLabel> = {
  time: "time_limit",
  memory: "memory_limit",
  output: "output_limit",
  busy: "busy",
  cancelled: "cancelled",
  unloaded: "unloaded",
  rate: "rate_limited",
};

/** A call with any denied capability counts as `denied`, whatever else went wrong: that is what an operator looks for. */
export function callOutcomeLabel(outcome: ToolOutcome): CallOutcomeLabel {
  if (outcome.decisions?.some((d) => !d.allowed)) return "denied";
  switch (outcome.kind) {
    case "ok":
      return "ok";
    case "content":
      return outcome.isError ? "tool_error" : "ok";
    case "error-result":
      return "tool_error";
    case "invalid-arguments":
      return "invalid_arguments";
    case "limit":
      return LIMITS[outcome.reason];
    case "trap":
      return "trap";
  }
}
