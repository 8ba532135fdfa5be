// The core of the host, shared by `airlock serve` and `airlock call`: loads the store's
// components, keeps the tool catalog, and runs validated calls in sandboxed workers with the
// grants of each component's policy, read afresh when the policy file changes.
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ConversionError, formatProblems, guestToJson, jsonToGuest } from "@airlock/schema";
import { AuditLog, type AuditDestination, type AuditEntry } from "./audit/audit-log.js";
import type { CallHooks, CallOutcome, GuestOutput } from "./executor/component-worker.js";
import { PreparedComponent, type ComponentSource } from "./executor/prepared-component.js";
import type { SandboxConfig } from "./executor/protocol.js";
import { hostResolver } from "./executor/resolve-host.js";
import type { WorkerPool } from "./executor/worker-pool.js";
import { prestartWorker } from "./executor/worker-threads.js";
import { limitFailure, type LimitReason } from "./executor/limit-failures.js";
import { RateLimiter, type RateLimit } from "./executor/rate-limiter.js";
import type { Decision } from "./executor/sandbox/decisions.js";
import { depthAtMost, MAX_NESTING } from "./executor/value-size.js";
import type { AirlockHome } from "./home.js";
import { describeCached, type ComponentDescription } from "./loader/describe-component.js";
import type { HostMetrics } from "./observability/metrics.js";
import { activeTraceId, inSpan, markFailed, startChildSpan } from "./observability/tracing.js";
import { grantsOf, overlapsHome, parseDuration, parseMemory, type Policy } from "./policy/policy.js";
import { PolicyStore } from "./policy/policy-store.js";
import { ComponentStore, type StoredComponent } from "./store/component-store.js";
import { refuseWhenManaged } from "./store/managed-store.js";
import { defineTools, ToolCatalog, type ToolDefinition } from "./tools/tool-definitions.js";
import { listOffers } from "./tools/list-offers.js";
import { refuseOfferCollisions } from "./tools/offer-collisions.js";
import { promptsInterface, resourcesInterface, type Offered } from "./tools/provided-resources.js";
import { providerInterface, type ProvidedResult } from "./tools/provided-tools.js";
import { QuietTrim } from "./quiet-trim.js";
import { giveBackFreedMemory } from "./glibc-allocator.js";

export interface HostOptions {
  home: AirlockHome;
  /** Wall-clock limit per call when the policy sets none. */
  timeoutMs?: number;
  /** Linear memory limit per instance when the policy sets none. */
  memoryLimitBytes?: number;
  /** Largest result a call may return. */
  maxResultBytes?: number;
  /** Largest arguments a call may pass, measured as JSON text. */
  maxInputBytes?: number;
  /** Workers per component (default: the machine's parallelism) and calls that may wait. */
  poolSize?: number;
  maxQueue?: number;
  /** Stops a component's worker after this long without a call (default 5 min); 0 never does. */
  idleStopMs?: number;
  /** Tool calls each client may make (a deployment file's limits.rate). */
  rateLimit?: RateLimit;
  /** The environment granted variables are read from. */
  env?: NodeJS.ProcessEnv;
  onGuestOutput?: (output: GuestOutput) => void;
  /** The audit records of a call, once written to the log. */
  onAudit?: (entries: AuditEntry[]) => void;
  /** Problems that do not stop the host (a component that cannot be loaded). */
  onWarning?: (message: string) => void;
  /** Counts calls, decisions, queues and instances (serve --metrics). */
  metrics?: HostMetrics;
  /** Where audit records go: $AIRLOCK_HOME/audit.jsonl (the default) or stdout (serve --audit stdout). */
  auditTo?: AuditDestination;
  /** Every tool call once it ended, whatever the outcome: one record per call. */
  onCall?: (call: CallRecord) => void;
}

/** A tool call that ended: `callId` is the one its audit records carry. */
export interface CallRecord {
  time: string;
  component: string | undefined;
  tool: string;
  callId: string;
  outcome: ToolOutcome["kind"];
  durationMs: number;
  /** Capability decisions denied during the call. */
  denied: number;
}

export type ToolOutcome =
  /** `json` is undefined when the function returns nothing. */
  (
    | { kind: "ok"; json: unknown }
    | { kind: "invalid-arguments"; message: string }
    | { kind: "error-result"; json: unknown }
    /** `detail`: the engine's trap text, when `message` is the tool's own (an uncaught exception). */
    | { kind: "trap"; message: string; detail?: string }
    /** A limit of the host stopped the call (executor/limit-failures.ts). */
    | { kind: "limit"; reason: LimitReason; message: string; retryAfterSeconds?: number }
    /** A provider tool's answer: MCP content as the component made it. */
    | ({ kind: "content" } & ProvidedResult)
  ) & { componentId?: string; decisions?: Decision[] };

interface LoadedComponent {
  entry: StoredComponent;
  description: ComponentDescription;
  tools: ToolDefinition[];
  /** Started by the first call or by prepareAll(). */
  prepared?: Promise<PreparedComponent>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MEMORY_LIMIT = 256 * 1024 * 1024;
export const DEFAULT_MAX_RESULT_BYTES = 1024 * 1024;
export const DEFAULT_MAX_INPUT_BYTES = 1024 * 1024;
/**
 * An idle worker holds 60-100 MiB (thread, heap, its instance's memory). A host with many
 * components, or one an agent left, gives that back after this long; the next call starts a
 * worker on the compiled code that is kept (~0.1-0.2 s).
 */
export const DEFAULT_IDLE_STOP_MS = 5 * 60_000;
/** How long no call must have run before background preparation takes the next component. */
const QUIET_MS = 250;

export class ComponentHost {
  readonly store: ComponentStore;
  readonly policies: PolicyStore;
  readonly audit: AuditLog;
  readonly catalog = new ToolCatalog();
  private readonly components = new Map<string, LoadedComponent>();
  /** Components that serve only some of their tools (a deployment file's `tools:`). */
  private readonly selections = new Map<string, string[]>();
  private preparing = false;
  /** Calls and export runs under way, and when the last one started or ended (see quiet()). */
  private running = 0;
  private lastActivity = 0;
  /** Hands glibc's freed memory back once calls stop for a while (quiet-trim.ts). */
  private readonly trimmer = new QuietTrim(() => {
    const before = process.memoryUsage.rss();
    if (giveBackFreedMemory()) this.options.metrics?.memoryTrimmed(Math.max(0, before - process.memoryUsage.rss()));
  });

  /** The metrics calls are counted in (serve --metrics), if any. */
  get metrics(): HostMetrics | undefined {
    return this.options.metrics;
  }

  /** Where Airlock keeps its state: never granted to a component. */
  get homeRoot(): string {
    return this.options.home.root;
  }

  private readonly resolveHost: (host: string) => Promise<string[]>;
  private readonly rateLimiter: RateLimiter | undefined;

  constructor(private readonly options: HostOptions) {
    this.resolveHost = hostResolver((options.env ?? process.env).AIRLOCK_DNS_SERVERS);
    this.rateLimiter = options.rateLimit ? new RateLimiter(options.rateLimit) : undefined;
    this.store = new ComponentStore(options.home.components);
    this.policies = new PolicyStore(options.home.components, () => refuseWhenManaged(options.home.root, "changing grants"));
    this.audit = new AuditLog(join(options.home.root, "audit.jsonl"), { onWritten: options.onAudit, destination: options.auditTo });
  }

  /** Loads every stored component; one that cannot be loaded is reported and skipped. */
  async loadAll(): Promise<void> {
    const entries = await this.store.list();
    const described = await Promise.all(
      entries.map(async (entry) => {
        try {
          return { entry, description: await this.describe(entry) };
        } catch (error) {
          this.options.onWarning?.(`skipped component "${entry.id}": ${(error as Error).message}`);
          return undefined;
        }
      }),
    );
    for (const item of described) {
      if (!item) continue;
      try {
        this.register(item.entry, item.description);
      } catch (error) {
        this.options.onWarning?.(`skipped component "${item.entry.id}": ${(error as Error).message}`);
      }
    }
  }

  /** Adds one stored component to the running host (its tools become callable). */
  async loadOne(id: string): Promise<ToolDefinition[]> {
    const entry = await this.store.get(id);
    if (!entry) throw new Error(`no component "${id}" in the store`);
    // The version it replaces finishes the calls it is running.
    await this.unloadOne(id, { drain: true });
    return this.register(entry, await this.describe(entry));
  }

  /** Without `drain`, its running and waiting calls stop now ("the component was unloaded"). */
  async unloadOne(id: string, options: { drain?: boolean } = {}): Promise<boolean> {
    const loaded = this.components.get(id);
    if (!loaded) return false;
    this.components.delete(id);
    this.catalog.removeComponent(id);
    void loaded.prepared?.then((p) => (options.drain ? p.closeWhenIdle() : p.close())).catch(() => undefined);
    return true;
  }

  /** Serve only these tools of the component (from its next load on); undefined serves all. */
  selectTools(id: string, tools: string[] | undefined): void {
    if (tools) this.selections.set(id, [...tools]);
    else this.selections.delete(id);
  }

  toolSelection(id: string): string[] | undefined {
    return this.selections.get(id);
  }

  /** Whether warm() (or a call) has started the component's workers. */
  isWarm(id: string): boolean {
    return this.components.get(id)?.prepared !== undefined;
  }

  /** Compiles the component and starts its workers, so the first call does not wait for them. */
  async warm(id: string): Promise<void> {
    if (!this.components.has(id)) throw new Error(`no component "${id}" is loaded`);
    await this.workerFor(id);
  }

  /**
   * Reads a component's exports and checks they can be served. Plain exports are read without
   * running the component; a provider component is run once (no grants) to list its tools.
   */
  describe(entry: StoredComponent): Promise<ComponentDescription> {
    return this.describeSource(sourceOf(entry));
  }

  /** As describe(), for a component that is not (yet) in the store. */
  async describeSource(source: ComponentSource): Promise<ComponentDescription> {
    const description = await describeCached(this.options.home.transpileCache, source.sha256, source.read);
    const interfaces = {
      provider: providerInterface(description.functions),
      resources: resourcesInterface(description.functions),
      prompts: promptsInterface(description.functions),
    };
    if (!interfaces.provider && !interfaces.resources && !interfaces.prompts) return description;
    const offers = await listOffers(source, interfaces, {
      cacheDir: this.options.home.transpileCache,
      memoryLimitBytes: this.options.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT,
      timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
    return { ...description, provided: offers.tools, offered: offers.offered };
  }

  componentIds(): string[] {
    return [...this.components.keys()];
  }

  component(id: string): { entry: StoredComponent; description: ComponentDescription; tools: ToolDefinition[] } | undefined {
    return this.components.get(id);
  }

  /** The resources and prompts of every loaded component, with the component offering each. */
  offers(): { componentId: string; offered: Offered }[] {
    return [...this.components.values()].filter((c) => c.description.offered).map((c) => ({ componentId: c.entry.id, offered: c.description.offered! }));
  }

  /**
   * Runs an export that is not a tool (reading a resource, getting a prompt) in the component's
   * sandbox, with its grants and limits, and records it in the audit log as `label`.
   */
  runExport(componentId: string, exportPath: string[], args: unknown[], label: string): Promise<CallOutcome> {
    return this.counted(() => this.runExportNow(componentId, exportPath, args, label));
  }

  private async runExportNow(componentId: string, exportPath: string[], args: unknown[], label: string): Promise<CallOutcome> {
    let pool: WorkerPool;
    try {
      pool = await this.workerFor(componentId);
    } catch (error) {
      return { ok: false, kind: "trap", message: `component "${componentId}" could not be started: ${(error as Error).message}`, decisions: [] };
    }
    const outcome = await pool.call({ exportPath, args, returnsResult: true });
    await this.audit.append({ component: componentId, tool: label, callId: randomUUID() }, outcome.decisions);
    return outcome;
  }

  /** `caller.client`: who calls, for rate limits (an HTTP client's token name; one client on stdio). */
  async callTool(name: string, args: Record<string, unknown>, hooks: CallHooks = {}, caller: { client?: string } = {}): Promise<ToolOutcome> {
    const callId = randomUUID();
    const started = performance.now();
    const outcome = await this.counted(() => this.limitedCall(name, args, hooks, caller, callId));
    this.options.onCall?.({
      time: new Date().toISOString(),
      component: outcome.componentId ?? this.catalog.get(name)?.componentId,
      tool: name,
      callId,
      outcome: outcome.kind,
      durationMs: Math.round(performance.now() - started),
      denied: (outcome.decisions ?? []).filter((d) => !d.allowed).length,
    });
    return outcome;
  }

  /** A call within the client's rate limit, counted in the metrics. */
  private async limitedCall(name: string, args: Record<string, unknown>, hooks: CallHooks, caller: { client?: string }, callId: string): Promise<ToolOutcome> {
    const tool = this.catalog.get(name);
    if (!tool) throw new Error(`unknown tool "${name}"`);
    const client = caller.client ?? "default";
    const retryAfter = this.rateLimiter?.take(client);
    if (retryAfter !== undefined) {
      this.options.metrics?.callRefused(tool.componentId, name, "rate_limited");
      return { ...limitFailure.rate(client, this.rateLimiter!.limit.callsPerSecond, retryAfter), componentId: tool.componentId };
    }
    const started = performance.now();
    const outcome = await this.runTool(tool, args, hooks, callId);
    this.options.metrics?.callFinished(tool.componentId, name, outcome, (performance.now() - started) / 1000);
    return outcome;
  }

  /** The arguments as the guest takes them, or why they cannot be. */
  private validate(tool: ToolDefinition, args: Record<string, unknown>): { guestArgs: unknown[] } | ToolOutcome {
    const name = tool.name;
    const maxInput = this.options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
    if (!depthAtMost(args, MAX_NESTING)) {
      return { kind: "invalid-arguments", message: `arguments for ${name} are nested deeper than ${MAX_NESTING} levels; send a flatter value` };
    }
    const argsJson = JSON.stringify(args);
    const inputBytes = Buffer.byteLength(argsJson);
    if (inputBytes > maxInput) {
      return { kind: "invalid-arguments", message: `arguments for ${name} are ${inputBytes} bytes, over the limit of ${maxInput} (serve --max-input raises it)` };
    }
    const problems = tool.source === "export" ? tool.validate(args) : [];
    if (problems.length > 0) return { kind: "invalid-arguments", message: `invalid arguments for ${name}: ${formatProblems(problems)}` };
    try {
      return { guestArgs: tool.source === "provider" ? [tool.name, argsJson] : tool.fn.params.map((p) => jsonToGuest(p.type, args[p.name], `/${p.name}`)) };
    } catch (error) {
      if (error instanceof ConversionError) return { kind: "invalid-arguments", message: `invalid arguments for ${name}: ${error.message}` };
      throw error;
    }
  }

  /** A call in trace spans (observability/tracing.ts): validation, policy, executor and, in it, the component's run. */
  private async runTool(tool: ToolDefinition, args: Record<string, unknown>, hooks: CallHooks, callId: string): Promise<ToolOutcome> {
    const { name, componentId } = tool;
    const attributes = { "airlock.component": componentId, "airlock.tool": name };
    // The component's preparation (file reads, compiling on V8's threads, a worker starting) runs
    // while the arguments are validated on this thread: a first call no longer waits for both.
    // A tool's first validation compiles its schema (~0.1 s with ajv's first load), which would
    // hold this thread before the component's files are read and handed to V8: it waits until the
    // worker has its compiled code and instantiates it on its own thread.
    const starting = this.workerFor(componentId);
    starting.catch(() => undefined);
    if (tool.source === "export" && !tool.validate.compiled) await this.handedToWorker(componentId, starting);
    const validated = await inSpan("airlock.validation", attributes, async () => this.validate(tool, args));
    if ("kind" in validated) return validated;
    const { guestArgs } = validated;
    let worker: WorkerPool;
    try {
      worker = await inSpan("airlock.policy", attributes, () => starting);
    } catch (error) {
      return { kind: "trap", componentId, message: `component "${componentId}" could not be started: ${(error as Error).message}` };
    }
    const result = tool.source === "export" ? tool.fn.result : undefined;
    const provider = tool.source === "provider" ? { provider: { call: tool.provided } } : {};
    const request = { exportPath: tool.exportPath, args: guestArgs, returnsResult: result?.kind === "result", ...provider };
    const outcome = await inSpan("airlock.executor", attributes, async (executor) => {
      // Started when the call leaves the queue; its parent is named, as the pool may start it from another call's context.
      let run: ReturnType<typeof startChildSpan> | undefined;
      const onRun = () => (run = startChildSpan(executor, "airlock.component", attributes));
      try {
        const settled = await worker.call(request, { ...hooks, onRun });
        run?.setAttribute("airlock.decisions", settled.decisions.length);
        // A trap or a limit failed the run; a WIT error result is the tool's answer.
        if (!settled.ok && settled.kind !== "error-result") markFailed(run, settled.message);
        return settled;
      } finally {
        run?.end();
      }
    });
    const traceId = activeTraceId();
    await this.audit.append({ component: componentId, tool: name, callId, ...(traceId ? { traceId } : {}) }, outcome.decisions);
    const context = { componentId, decisions: outcome.decisions };
    if (outcome.ok === true && tool.source === "provider") return { kind: "content", ...(outcome.value as ProvidedResult), ...context };
    if (!outcome.ok && outcome.kind === "invalid-arguments") return { kind: "invalid-arguments", message: outcome.message, ...context };
    if (!outcome.ok && outcome.kind === "bad-answer") return { kind: "trap", message: outcome.message, ...context };
    if (outcome.ok === true) {
      if (!result) return { kind: "ok", json: undefined, ...context };
      const value = result.kind === "result" ? (result.ok ? guestToJson(result.ok, outcome.value) : null) : guestToJson(result, outcome.value);
      return { kind: "ok", json: value, ...context };
    }
    if (outcome.kind === "error-result") {
      const errType = result?.kind === "result" ? result.err : undefined;
      return { kind: "error-result", json: errType ? guestToJson(errType, outcome.payload) : null, ...context };
    }
    if (outcome.kind === "limit") return { kind: "limit", reason: outcome.reason, message: `${name} (${componentId}) stopped: ${outcome.message}`, ...context };
    if (outcome.kind === "trap" && outcome.detail) return { kind: "trap", message: `${componentId} threw in ${name}: ${outcome.message}`, detail: outcome.detail, ...context };
    return { kind: "trap", message: `${componentId} trapped in ${name}: ${outcome.message}`, ...context };
  }

  /**
   * Transpiles, compiles and starts the workers of every loaded component, and compiles its
   * tools' argument validators, one after the other, in the background. `serve` calls it once it is answering requests, so that start-up work does
   * not delay the first tools/list; a call that comes first prepares its component itself.
   */
  prepareAll(): void {
    if (this.preparing) return;
    this.preparing = true;
    this.lastActivity = performance.now();
    void (async () => {
      for (const id of this.components.keys()) {
        await this.quiet();
        await this.workerFor(id).catch((error: Error) => this.options.onWarning?.(`component "${id}" could not be prepared: ${error.message}`));
        this.trimmer.worked();
        // Its tools' argument validators too, one at a time, each when no call is running.
        for (const tool of this.components.get(id)?.tools ?? []) {
          if (tool.source !== "export") continue;
          await this.quiet();
          try {
            tool.validate.compile();
          } catch (error) {
            this.options.onWarning?.(`the argument schema of ${tool.name} could not be compiled: ${(error as Error).message}`);
          }
        }
      }
    })();
  }

  /**
   * Resolves once no call has run for QUIET_MS. Background preparation waits for it before each
   * component, so a call that comes right after tools/list has the cores to itself: preparing
   * the other components beside it made the first grammar check ~0.5 s slower on 2 cores.
   */
  private async quiet(): Promise<void> {
    for (;;) {
      const idle = performance.now() - this.lastActivity;
      if (this.running === 0 && idle >= QUIET_MS) return;
      await new Promise((resolve) => setTimeout(resolve, Math.max(QUIET_MS - idle, 25)));
    }
  }

  /** Runs `work` counted as a call (quiet() waits for it). */
  private async counted<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    this.lastActivity = performance.now();
    this.trimmer.started();
    try {
      return await work();
    } finally {
      this.running--;
      this.lastActivity = performance.now();
      this.trimmer.ended();
    }
  }

  async close(): Promise<void> {
    this.trimmer.close();
    await Promise.all([...this.components.values()].map(async (c) => (await c.prepared?.catch(() => undefined))?.close()));
  }

  private register(entry: StoredComponent, description: ComponentDescription): ToolDefinition[] {
    if (description.offered) refuseOfferCollisions(this.offers(), { componentId: entry.id, offered: description.offered });
    const tools = selected(defineTools(entry.id, description), this.selections.get(entry.id), entry.id);
    this.catalog.add(tools);
    this.components.set(entry.id, { entry, description, tools });
    return tools;
  }

  /** Resolves once the component's first worker has its compiled code, or its preparation failed. */
  private handedToWorker(id: string, starting: Promise<WorkerPool>): Promise<unknown> {
    const prepared = this.components.get(id)?.prepared;
    return Promise.race([starting.catch(() => undefined), prepared ? prepared.then((p) => p.workerStarted()).catch(() => undefined) : undefined]);
  }

  private async workerFor(id: string): Promise<WorkerPool> {
    const loaded = this.components.get(id)!;
    // The component's first worker thread boots on another core while this one validates the
    // call's arguments and reads and compiles the component (~0.1 s off a first call).
    if (!loaded.prepared) prestartWorker();
    loaded.prepared ??= PreparedComponent.prepare(sourceOf(loaded.entry), this.options.home.transpileCache).then((p) => {
      this.options.metrics?.transpiled(p.transpiledFromCache);
      return p;
    });
    const prepared = await loaded.prepared;
    const metrics = this.options.metrics;
    const idleStopMs = this.options.idleStopMs ?? DEFAULT_IDLE_STOP_MS;
    return prepared.poolFor(await this.policies.version(id), async () => {
      const policy = await this.policies.read(id);
      const limits = policy.permissions?.resources?.limits;
      return {
        sandbox: this.sandboxFor(id, policy),
        memoryLimitBytes: limits?.memory ? parseMemory(limits.memory) : (this.options.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT),
        maxResultBytes: this.options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES,
        ...(this.options.poolSize ? { poolSize: this.options.poolSize } : {}),
        ...(this.options.maxQueue ? { maxQueue: this.options.maxQueue } : {}),
        ...(idleStopMs > 0 ? { idleStopMs } : {}),
        ...(metrics ? { observer: metrics } : {}),
        options: {
          timeoutMs: limits?.timeout ? parseDuration(limits.timeout) : (this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
          maxOutputLine: 8 * 1024,
          maxOutputBytes: 256 * 1024,
          onOutput: (output: GuestOutput) => this.options.onGuestOutput?.(output),
          resolveHost: this.resolveHost,
          ...(metrics ? { onInstance: (recycledMemory: boolean) => metrics.instanceMade(id, recycledMemory), onReset: () => metrics.instanceReset(id) } : {}),
        },
      };
    });
  }

  private sandboxFor(componentId: string, policy: Policy): SandboxConfig {
    const grants = grantsOf(policy);
    // A hand-edited policy could still name Airlock's own store: never preopen it.
    const home = this.options.home.root;
    const overlaps = (p: string) => overlapsHome(p, home);
    for (const g of grants.storage.filter((g) => overlaps(g.path))) {
      this.options.onWarning?.(`ignored the grant of ${g.path} to "${componentId}": it overlaps Airlock's own store ${home}`);
    }
    grants.storage = grants.storage.filter((g) => !overlaps(g.path));
    const env = this.options.env ?? process.env;
    // Own properties only: a grant of `constructor` or `__proto__` must not reach Object.prototype.
    const granted = grants.environment.filter((key) => Object.hasOwn(env, key) && typeof env[key] === "string");
    const environment: Record<string, string> = Object.fromEntries(granted.map((key) => [key, env[key]!]));
    return { componentId, storage: grants.storage, network: grants.network, privateNetwork: grants.privateNetwork, environment };
  }
}

function sourceOf(entry: StoredComponent): ComponentSource {
  return { id: entry.id, sha256: entry.sha256, read: () => readFile(entry.path) };
}

/** The selected tools of a component; a name it does not have is an error naming those it has. */
function selected(tools: ToolDefinition[], names: string[] | undefined, id: string): ToolDefinition[] {
  if (!names) return tools;
  const missing = names.filter((name) => !tools.some((t) => t.name === name));
  if (missing.length > 0) throw new Error(`${id} has no tool ${missing.map((m) => `"${m}"`).join(", ")}: its tools are ${tools.map((t) => t.name).join(", ") || "none"}`);
  return tools.filter((t) => names.includes(t.name));
}
