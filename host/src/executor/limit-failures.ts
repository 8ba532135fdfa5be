// The host's limits, one typed vocabulary: every place that stops a call names the limit with one
// of these, and the words a person reads are written here, once. Callers decide by `reason`
// (a memory-limit stop restarts the worker; metrics count by reason), never by message text.

export type LimitReason = "time" | "memory" | "output" | "busy" | "cancelled" | "unloaded" | "rate";

export interface LimitFailure {
  kind: "limit";
  reason: LimitReason;
  message: string;
  /** When a retry can succeed (rate limits). */
  retryAfterSeconds?: number;
}

const MiB = 1024 * 1024;
const limit = (reason: LimitReason, message: string): LimitFailure => ({ kind: "limit", reason, message });

export const limitFailure = {
  time: (timeoutMs: number) => limit("time", `the call exceeded the time limit of ${timeoutMs / 1000} s and was stopped`),
  memory: (limitBytes: number) => limit("memory", `the call hit the component's memory limit of ${limitBytes / MiB} MiB (resources.limits.memory in its policy)`),
  output: (limitBytes: number) => limit("output", `the result is larger than the output limit of ${limitBytes / MiB} MiB`),
  busy: (componentId: string, running: number, waiting: number) =>
    limit("busy", `busy: component "${componentId}" is already running ${running} calls with ${waiting} more waiting; try again shortly`),
  cancelled: () => limit("cancelled", "the call was cancelled"),
  unloaded: () => limit("unloaded", "the component was unloaded"),
  rate: (client: string, callsPerSecond: number, retryAfterSeconds: number): LimitFailure => {
    const after = Math.max(0.1, Math.ceil(retryAfterSeconds * 10) / 10);
    const rate = `${callsPerSecond} call${callsPerSecond === 1 ? "" : "s"} per second`;
    return { ...limit("rate", `rate limited: client "${client}" may make ${rate} (limits.rate); retry after ${after} s`), retryAfterSeconds: after };
  },
};
