// Bad input and limits: invalid arguments, an oversized input and a timeout must each come back
// as `isError: true`, and the host must still serve afterwards (tools/list and a good call).
import { newAjv } from "../ajv.js";
import { check, type Check } from "../check.js";
import { meets } from "../expectations.js";
import type { HostHome, Served } from "../host-process.js";
import { classify, describeOutcome, firstLine } from "../outcome.js";
import type { ToolDescription } from "./static.js";

import type { KnownCall } from "./cases.js";

export type GoodCall = KnownCall | undefined;

/** The --max-input the kit serves with; the oversized input is just over it. */
export const MAX_INPUT_BYTES = 64 * 1024;
/** The --timeout of the second serve, short enough that any real call exceeds it. */
export const TIMEOUT = "1ms";

export async function stillServing(served: Served, good: GoodCall): Promise<string | undefined> {
  try {
    await served.toolNames();
  } catch (error) {
    return `the host stopped answering tools/list: ${(error as Error).message}`;
  }
  if (!good) return undefined;
  const verdict = meets(good.expect, classify(await served.call(good.tool, good.arguments)));
  return verdict.ok ? undefined : `${good.name} no longer passes afterwards: ${verdict.message}`;
}

const servingNote = (good: GoodCall) => (good ? `tools/list and ${good.name} still work` : "tools/list still works");

const WRONG_VALUES: [unknown, string][] = [
  [12345, "a number"],
  ["conformance", "a string"],
  [true, "a boolean"],
  [{ conformance: 1 }, "an object"],
  [[], "a list"],
];

/**
 * Arguments the input schema refuses: a value of the wrong type for the first required
 * argument (the others left out), else an unknown argument.
 */
export function invalidArguments(schema: ToolDescription["inputSchema"]): { args: Record<string, unknown>; what: string } | undefined {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const first = ((schema.required ?? []) as string[])[0];
  if (first !== undefined) {
    const accepts = newAjv().compile((properties[first] ?? {}) as object);
    const wrong = WRONG_VALUES.find(([value]) => !accepts(value));
    if (wrong) return { args: { [first]: wrong[0] }, what: `${wrong[1]} for required "${first}"` };
    return { args: {}, what: `required "${first}" left out` };
  }
  if (schema.additionalProperties === false) return { args: { "conformance-unknown-argument": 1 }, what: "an unknown argument" };
  return undefined;
}

export async function invalidArgumentChecks(served: Served, tools: ToolDescription[], good: GoodCall): Promise<Check[]> {
  const checks: Check[] = [];
  for (const tool of tools) {
    const name = `invalid arguments to ${tool.name}`;
    const invalid = invalidArguments(tool.inputSchema);
    if (!invalid) {
      checks.push(check("invalid arguments", name, true, "not exercised: every argument is optional and unknown ones are allowed, so no argument object is invalid"));
      continue;
    }
    const result = await served.call(tool.name, invalid.args);
    const outcome = classify(result);
    const problem = !result.isError
      ? `expected isError for ${invalid.what}, received ${describeOutcome(outcome)}`
      : outcome.kind === "crash"
        ? `expected the host to refuse ${invalid.what}, received ${describeOutcome(outcome)}`
        : await stillServing(served, good);
    checks.push(check("invalid arguments", name, !problem, problem ?? `${invalid.what}: isError (${firstLine(outcome.text, 100)}); ${servingNote(good)}`));
  }
  return checks;
}

export async function oversizedInputCheck(served: Served, tool: ToolDescription, good: GoodCall): Promise<Check> {
  const properties = Object.entries((tool.inputSchema.properties ?? {}) as Record<string, { type?: unknown }>);
  const key = properties.find(([, s]) => s.type === "string")?.[0] ?? properties[0]?.[0] ?? "conformance-padding";
  const result = await served.call(tool.name, { [key]: "x".repeat(MAX_INPUT_BYTES + 1) });
  const outcome = classify(result);
  const problem = !result.isError
    ? `expected isError for ${MAX_INPUT_BYTES + 1} characters of "${key}" (serve --max-input ${MAX_INPUT_BYTES}), received ${describeOutcome(outcome)}`
    : outcome.kind !== "limit"
      ? `expected the host to refuse the input as over --max-input, received ${describeOutcome(outcome)}`
      : await stillServing(served, good);
  return check("oversized input", "oversized input", !problem, problem ?? `${tool.name} with ${MAX_INPUT_BYTES + 1} characters: isError (${firstLine(outcome.text, 100)}); ${servingNote(good)}`);
}

/** One call on a second serve with --timeout 1ms; the main serve must still answer afterwards. */
export async function timeoutCheck(home: HostHome, main: Served, good: GoodCall, fallback: GoodCall): Promise<Check> {
  const call = good ?? fallback;
  if (!call) return check("timeout", "timeout", true, "not exercised: no case gives arguments the tool accepts (add a case with an expected result)");
  const short = await home.serve("--timeout", TIMEOUT);
  try {
    const started = performance.now();
    const result = await short.call(call.tool, call.arguments);
    const ms = performance.now() - started;
    const outcome = classify(result);
    if (!/time limit/.test(outcome.text) && (outcome.kind === "ok" || outcome.kind === "error-result")) {
      return check("timeout", "timeout", true, `not exercised: ${call.tool} finished in ${ms.toFixed(0)} ms, before the ${TIMEOUT} limit could stop it`);
    }
    if (!/time limit/.test(outcome.text)) return check("timeout", "timeout", false, `expected a time-limit error from serve --timeout ${TIMEOUT}, received ${describeOutcome(outcome)}`);
    const problem = (await stillServing(short, undefined)) ?? (await stillServing(main, good));
    return check("timeout", "timeout", !problem, problem ?? `${call.tool} under serve --timeout ${TIMEOUT}: isError (${firstLine(outcome.text, 100)}); ${servingNote(good)}`);
  } finally {
    await short.close();
  }
}
