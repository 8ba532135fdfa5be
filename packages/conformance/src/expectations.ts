// Whether an outcome meets a case's `expect`, and if not, exactly where it differs.
import type { Expectation } from "./case-file.js";
import { describeOutcome, firstLine, show, type Outcome } from "./outcome.js";

export interface Verdict {
  ok: boolean;
  message: string;
}

export function meets(expectation: Expectation, outcome: Outcome): Verdict {
  const received = describeOutcome(outcome);
  if ("result" in expectation || "contains" in expectation) {
    const subset = "contains" in expectation;
    const expected = subset ? expectation.contains : expectation.result;
    const wanted = `${subset ? "a result containing" : "result"} ${show(expected)}`;
    if (outcome.kind !== "ok") return { ok: false, message: `expected ${wanted}, received ${received}` };
    const difference = subset ? missingFrom(expected, outcome.result, "") : differs(expected, outcome.result, "");
    if (difference) return { ok: false, message: `expected ${wanted}, received ${received}: ${difference}` };
    return { ok: true, message: subset ? "result contains what was expected" : "result as expected" };
  }
  if ("error" in expectation) {
    const acceptable = outcome.kind === "error-result" || outcome.kind === "invalid-arguments" || outcome.kind === "limit";
    if (!acceptable) return { ok: false, message: `expected an error containing ${JSON.stringify(expectation.error)}, received ${received}` };
    if (!outcome.text.includes(expectation.error)) {
      return { ok: false, message: `expected an error containing ${JSON.stringify(expectation.error)}, received ${received}` };
    }
    return { ok: true, message: `error as expected: ${firstLine(outcome.text.replace(/^error: /, ""), 120)}` };
  }
  const kind = expectation.denied;
  if (outcome.kind === "crash") return { ok: false, message: `expected a ${kind} denial, received ${received}` };
  if (outcome.kind === "ok" || !outcome.denied.includes(kind)) {
    const others = outcome.denied.length ? ` (denied: ${outcome.denied.join(", ")})` : "";
    return { ok: false, message: `expected a ${kind} denial naming the grant to give, received ${received}${others}` };
  }
  return { ok: true, message: `denied ${kind}` };
}

/** Deep equality; the first difference as `at /path: expected X, received Y`. */
export function differs(expected: unknown, actual: unknown, path: string): string | undefined {
  const at = path || "/";
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) return `at ${at}: expected ${expected.length} items, received ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = differs(expected[i], actual[i], `${path}/${i}`);
      if (d) return d;
    }
    return undefined;
  }
  if (isObject(expected) && isObject(actual)) {
    for (const key of Object.keys(expected)) {
      if (!(key in actual)) return `at ${path}/${key}: expected ${show(expected[key], 80)}, received nothing`;
      const d = differs(expected[key], actual[key], `${path}/${key}`);
      if (d) return d;
    }
    const extra = Object.keys(actual).find((k) => !(k in expected));
    return extra === undefined ? undefined : `at ${path}/${extra}: expected nothing, received ${show(actual[extra], 80)}`;
  }
  return Object.is(expected, actual) ? undefined : `at ${at}: expected ${show(expected, 80)}, received ${show(actual, 80)}`;
}

/**
 * Subset match: every key of an expected object is in the actual one and matches; every item of
 * an expected list matches a different item of the actual list, in any order; an expected string
 * matches an actual string that contains it; other values are equal.
 */
export function missingFrom(expected: unknown, actual: unknown, path: string): string | undefined {
  const at = path || "/";
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `at ${at}: expected a list, received ${show(actual, 80)}`;
    const used = new Set<number>();
    for (const [i, item] of expected.entries()) {
      const match = actual.findIndex((candidate, j) => !used.has(j) && missingFrom(item, candidate, "") === undefined);
      if (match === -1) return `at ${at}: no item contains expected item ${i} ${show(item, 120)}`;
      used.add(match);
    }
    return undefined;
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return `at ${at}: expected an object, received ${show(actual, 80)}`;
    for (const key of Object.keys(expected)) {
      if (!(key in actual)) return `at ${path}/${key}: expected ${show(expected[key], 80)}, received nothing`;
      const d = missingFrom(expected[key], actual[key], `${path}/${key}`);
      if (d) return d;
    }
    return undefined;
  }
  if (typeof expected === "string" && typeof actual === "string") {
    return actual.includes(expected) ? undefined : `at ${at}: expected a text containing ${show(expected, 80)}, received ${show(actual, 120)}`;
  }
  return Object.is(expected, actual) ? undefined : `at ${at}: expected ${show(expected, 80)}, received ${show(actual, 80)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
