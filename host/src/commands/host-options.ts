// Host-wide limits from the command line, shared by `serve` and `call`:
//   --timeout 30s   --memory 256Mi   --max-result 1Mi   --max-input 1Mi   --workers 2   --max-queue 64
//   --idle-stop 5m (or off)
// A component's own policy (resources.limits) takes precedence for timeout and memory.
import { UsageError } from "../errors.js";
import type { HostOptions } from "../component-host.js";
import { parseDuration, parseMemory } from "../policy/policy.js";

type Limits = Pick<HostOptions, "timeoutMs" | "memoryLimitBytes" | "maxResultBytes" | "maxInputBytes" | "poolSize" | "maxQueue" | "idleStopMs">;

const FLAGS: Record<string, (value: string, out: Limits) => void> = {
  "--timeout": (v, out) => (out.timeoutMs = parse(parseDuration, v, "--timeout", "a duration such as 30s or 500ms")),
  "--memory": (v, out) => (out.memoryLimitBytes = parse(parseMemory, v, "--memory", "a size such as 256Mi")),
  "--max-result": (v, out) => (out.maxResultBytes = parse(parseMemory, v, "--max-result", "a size such as 1Mi")),
  "--max-input": (v, out) => (out.maxInputBytes = parse(parseMemory, v, "--max-input", "a size such as 1Mi")),
  "--workers": (v, out) => (out.poolSize = positiveInteger(v, "--workers")),
  "--max-queue": (v, out) => (out.maxQueue = positiveInteger(v, "--max-queue")),
  "--idle-stop": (v, out) => (out.idleStopMs = v === "off" ? 0 : parse(parseDuration, v, "--idle-stop", "a duration such as 5m or 30s, or off")),
};

/** Takes the limit flags out of `args`; returns them and the remaining arguments. */
export function takeLimitFlags(args: string[]): { limits: Limits; rest: string[] } {
  const limits: Limits = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const flag = FLAGS[args[i]!];
    if (!flag) {
      rest.push(args[i]!);
      continue;
    }
    const value = args[++i];
    if (value === undefined) throw new UsageError(`${args[i - 1]} needs a value`);
    flag(value, limits);
  }
  return { limits, rest };
}

function parse(parser: (text: string) => number, value: string, flag: string, expected: string): number {
  try {
    return parser(value);
  } catch {
    throw new UsageError(`${flag} ${value}: expected ${expected}`);
  }
}

function positiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} ${value}: expected a whole number of at least 1`);
  return n;
}
