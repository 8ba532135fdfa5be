// The outcome label a tool call is counted under in airlock_tool_calls_total: every kind of
// outcome and every limit reason has one, and a denied capability wins over what else happened.
import { describe, expect, it } from "vitest";
import type { ToolOutcome } from "../../src/component-host.js";
import type { LimitReason } from "../../src/executor/limit-failures.js";
import type { Decision } from "../../src/executor/sandbox/decisions.js";
import { CALL_OUTCOMES, callOutcomeLabel } from "../../src/observability/call-outcome.js";

const allowed: Decision = { kind: "environment", target: "HOME", mode: "read", allowed: true };
const denied: Decision = { kind: "network", target: "evil.example", mode: "GET", allowed: false, reason: "not granted" };

describe("callOutcomeLabel", () => {
  it("names each kind of outcome", () => {
    expect(callOutcomeLabel({ kind: "ok", json: 1 })).toBe("ok");
    expect(callOutcomeLabel({ kind: "content", content: [], isError: false })).toBe("ok");
    expect(callOutcomeLabel({ kind: "content", content: [], isError: true })).toBe("tool_error");
    expect(callOutcomeLabel({ kind: "error-result", json: "no" })).toBe("tool_error");
    expect(callOutcomeLabel({ kind: "invalid-arguments", message: "m" })).toBe("invalid_arguments");
    expect(callOutcomeLabel({ kind: "trap", message: "m" })).toBe("trap");
  });

  it("names each limit by its reason", () => {
    const limit = (reason: LimitReason): ToolOutcome => ({ kind: "limit", reason, message: "m" });
    expect(callOutcomeLabel(limit("time"))).toBe("time_limit");
    expect(callOutcomeLabel(limit("memory"))).toBe("memory_limit");
    expect(callOutcomeLabel(limit("output"))).toBe("output_limit");
    expect(callOutcomeLabel(limit("busy"))).toBe("busy");
    expect(callOutcomeLabel(limit("cancelled"))).toBe("cancelled");
    expect(callOutcomeLabel(limit("unloaded"))).toBe("unloaded");
  });

  it("counts a call with any denied capability as denied, over a tool error, a trap or a limit", () => {
    expect(callOutcomeLabel({ kind: "ok", json: 1, decisions: [allowed] })).toBe("ok");
    expect(callOutcomeLabel({ kind: "ok", json: 1, decisions: [allowed, denied] })).toBe("denied");
    expect(callOutcomeLabel({ kind: "error-result", json: "no", decisions: [denied] })).toBe("denied");
    expect(callOutcomeLabel({ kind: "trap", message: "m", decisions: [denied] })).toBe("denied");
    expect(callOutcomeLabel({ kind: "limit", reason: "time", message: "m", decisions: [denied] })).toBe("denied");
  });

  it("only ever answers one of the documented labels", () => {
    const outcomes: ToolOutcome[] = [
      { kind: "ok", json: null },
      { kind: "error-result", json: null },
      { kind: "invalid-arguments", message: "" },
      { kind: "trap", message: "" },
      ...(["time", "memory", "output", "busy", "cancelled", "unloaded"] as const).map((reason): ToolOutcome => ({ kind: "limit", reason, message: "" })),
    ];
    for (const outcome of outcomes) expect(CALL_OUTCOMES).toContain(callOutcomeLabel(outcome));
  });
});
