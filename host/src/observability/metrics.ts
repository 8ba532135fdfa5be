// The host's Prometheus metrics, one Registry per host (never prom-client's global one), so that
// several hosts in one process (tests) count apart. Served by metrics-server.ts on a listener of
// its own; the metric names and labels are listed in the host README.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { ToolOutcome } from "../component-host.js";
import type { Decision } from "../executor/sandbox/decisions.js";
import type { PoolObserver } from "../executor/worker-pool.js";
import { callOutcomeLabel, type CallOutcomeLabel } from "./call-outcome.js";

export class HostMetrics implements PoolObserver {
  readonly registry = new Registry();
  private readonly calls = new Counter({
    name: "airlock_tool_calls_total",
    help: "Tool calls by component, tool and outcome (ok, tool_error, denied, time_limit, memory_limit, output_limit, busy, cancelled, unloaded, invalid_arguments, trap, rate_limited)",
    labelNames: ["component", "tool", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: "airlock_tool_call_duration_seconds",
    help: "Time from a tool call's arrival at the host to its outcome: validation, queue wait and run",
    labelNames: ["component", "tool"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private readonly decisions = new Counter({
    name: "airlock_capability_decisions_total",
    help: "Capability decisions of tool calls (file, network, environment), allowed or denied; a decision repeated within a call counts each time",
    labelNames: ["kind", "decision"] as const,
    registers: [this.registry],
  });
  private readonly queued = new Gauge({
    name: "airlock_queue_depth",
    help: "Calls waiting for a free worker, by component",
    labelNames: ["component"] as const,
    registers: [this.registry],
  });
  private readonly busyRejections = new Counter({
    name: "airlock_busy_rejections_total",
    help: "Calls refused because the component's queue was full (serve --max-queue)",
    labelNames: ["component"] as const,
    registers: [this.registry],
  });
  private readonly instances = new Counter({
    name: "airlock_instances_created_total",
    help: "Component instances made (prepared ahead of a call), on a recycled linear memory or on new ones",
    labelNames: ["component", "memory"] as const,
    registers: [this.registry],
  });
  private readonly resets = new Counter({
    name: "airlock_instance_resets_total",
    help: "Instances reset to their state after instantiation when a call returned, to serve the next call",
    labelNames: ["component"] as const,
    registers: [this.registry],
  });
  private readonly transpileCache = new Counter({
    name: "airlock_transpile_cache_total",
    help: "Lookups of the transpile cache when a component is prepared: hit, or miss (transpiled now)",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });
  private readonly trims = new Counter({
    name: "airlock_memory_trims_total",
    help: "Times the host handed the memory its allocator kept freed back to the system, once no call had run for a second (malloc_trim; glibc only)",
    registers: [this.registry],
  });
  private readonly trimmedBytes = new Counter({
    name: "airlock_memory_trimmed_bytes_total",
    help: "Resident memory those trims gave back, in bytes (the fall in the process's resident set across each)",
    registers: [this.registry],
  });

  constructor() {
    // Resident memory, CPU, event loop lag, heap: prom-client's standard process metrics.
    collectDefaultMetrics({ register: this.registry });
  }

  /** A call the host ran (or refused while validating) ended with `outcome` after `seconds`. */
  callFinished(componentId: string, tool: string, outcome: ToolOutcome, seconds: number): void {
    this.calls.inc({ component: componentId, tool, outcome: callOutcomeLabel(outcome) });
    this.duration.observe({ component: componentId, tool }, seconds);
    this.countDecisions(outcome.decisions ?? []);
  }

  /**
   * A call refused before it reached the host, e.g. by a rate limit: counts it under `outcome`
   * in airlock_tool_calls_total (no duration, no decisions).
   */
  callRefused(componentId: string, tool: string, outcome: CallOutcomeLabel): void {
    this.calls.inc({ component: componentId, tool, outcome });
  }

  waiting(componentId: string, change: 1 | -1): void {
    this.queued.inc({ component: componentId }, change);
  }

  busy(componentId: string): void {
    this.busyRejections.inc({ component: componentId });
  }

  /** A worker made a component instance, on a recycled linear memory or on new ones. */
  instanceMade(componentId: string, recycledMemory: boolean): void {
    this.instances.inc({ component: componentId, memory: recycledMemory ? "recycled" : "new" });
  }

  /** A worker reset an instance after a call, for the next call. */
  instanceReset(componentId: string): void {
    this.resets.inc({ component: componentId });
  }

  /** A component was prepared from the transpile cache, or transpiled anew. */
  transpiled(fromCache: boolean): void {
    this.transpileCache.inc({ result: fromCache ? "hit" : "miss" });
  }

  /** Freed memory was handed back to the system; resident memory fell by `bytes`. */
  memoryTrimmed(bytes: number): void {
    this.trims.inc();
    this.trimmedBytes.inc(bytes);
  }

  /** The Prometheus text exposition, and the content type to send it with. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }

  private countDecisions(decisions: Decision[]): void {
    for (const d of decisions) this.decisions.inc({ kind: d.kind, decision: d.allowed ? "allowed" : "denied" }, d.count ?? 1);
  }
}
