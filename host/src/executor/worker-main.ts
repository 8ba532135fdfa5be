// Runs inside a worker thread: answers calls to one component. Every call starts from a clean
// instance, so no state survives from one call to the next. Where the component allows it, the
// instance a call returned from is reset to its state after instantiation (instance-reset.ts)
// and serves the next call; otherwise, and after any trap or limit, a new instance is prepared
// ahead while the worker waits, so a call does not wait for instantiation. A module rewritten to
// import its memory starts on the previous instance's Memory, restored from its image
// (recycled-memories.ts).
import { once } from "node:events";
import { parentPort } from "node:worker_threads";
import { requestFromWorker } from "./client-requests.js";
import type { CallFailure, ClientMethod, FromWorker, InitWorker, LogLevel, ToWorker } from "./protocol.js";
import { DecisionRecorder } from "./sandbox/decisions.js";
import { outsideGrantsDecision } from "./sandbox/outside-grants.js";
import { withVersionedKeys } from "./glue-imports.js";
import { depthAtMost, MAX_NESTING, sizeAtMost } from "./value-size.js";
import { GuestNotices } from "./guest-notices.js";
import { limitFailure } from "./limit-failures.js";
import { describeUncaught, parseSourceMap, type Uncaught } from "./uncaught.js";
import { providerAnswer, providerArguments } from "./provider-calls.js";
import { memorySlack, RecycledMemories, type LentMemory } from "./recycled-memories.js";
import type { MemoryImage } from "./recyclable-module.js";
import { cheapenMissingPromising } from "./missing-jspi.js";
import { InstanceSnapshot } from "./reset/instance-reset.js";
import { DeferredReset, ResetTiming } from "./reset/reset-timing.js";
import { CLEAR_HANDLES_KEY, type ClearHandles, type GlueHandles } from "./reset/glue-handles.js";

const port = parentPort!;
// The thread may have started before its component was chosen (worker-threads.ts): it learns
// which from its first message.
const [{ init }] = (await once(port, "message")) as [InitWorker];
const send = (message: FromWorker) => port.postMessage(message);
const MiB = 1024 * 1024;

let currentCallId = -1;
const recorder = new DecisionRecorder((update) => send({ type: "decisions", callId: currentCallId, update }), init.decisionCounters ? new Int32Array(init.decisionCounters) : undefined);
const notices = new GuestNotices(
  (level, message) => send({ type: "log", callId: currentCallId, level, message }),
  (done, total, message) => send({ type: "progress", callId: currentCallId, done, ...(total === undefined ? {} : { total }), ...(message === undefined ? {} : { message }) }),
);
// An exception the tool did not catch, reported just before its component traps (diagnostics).
let uncaught: Uncaught | undefined;
const sourceMap = parseSourceMap(init.sourceMap);

const hostServices = {
  "airlock:tool/diagnostics": {
    uncaught: (message: string, stack: string) => {
      if (currentCallId !== -1) uncaught = { message: message.slice(0, 8 * 1024), stack: stack.slice(0, 16 * 1024) };
    },
  },
  "airlock:tool/access": {
    outsideGrants: (path: string, directory: string, access: string) => {
      if (currentCallId !== -1) recorder.record(outsideGrantsDecision(path, directory, access));
    },
  },
  "airlock:tool/logging": {
    log: (level: LogLevel, message: string) => notices.log(level, message),
  },
  "airlock:tool/progress": {
    report: (done: number, total?: number, message?: string) => notices.progress(done, total, message),
  },
  "airlock:tool/client": {
    createMessage: (params: string) => requestFromWorker(postClientRequest, "sampling/createMessage", params),
    elicit: (params: string) => requestFromWorker(postClientRequest, "elicitation/create", params),
  },
};

function postClientRequest(method: ClientMethod, params: string, shared: SharedArrayBuffer): void {
  send({ type: "client-request", callId: currentCallId, method, params, shared });
}

type Exports = Record<string, unknown>;
type Instantiate = (
  getCoreModule: (name: string) => WebAssembly.Module,
  imports: object,
  instantiateCore: (module: WebAssembly.Module, imports: object) => Promise<WebAssembly.Instance>,
) => Promise<Exports>;

interface Prepared {
  exports: Exports;
  memories: WebAssembly.Memory[];
  /** Recycled Memories this instance runs on, handed on when its call returns normally. */
  lent: LentMemory[];
  /** Its state after instantiation, when it may be reset between calls (init.reset). */
  snapshot?: InstanceSnapshot;
  /** Empties the glue's handle tables, when the glue was rewritten to (glue-handles.ts). */
  clearHandles?: ClearHandles;
}

let instantiateComponent: Instantiate;
let next: Promise<Prepared> | undefined;
/** The instance the last call returned from, reset and ready for the next call. */
let current: Prepared | undefined;
/** The instance the current call runs in, once it has one. */
let calling: Prepared | undefined;
const resetTiming = new ResetTiming();
/** The instance the last call returned from, until it is reset (reset-timing.ts). */
const pendingReset = new DeferredReset<Prepared>(resetReturned);

// One import object serves every instance of this worker: the sandbox's grants do not change
// within a worker, and building the WASI shim anew cost ~10 ms per instance. A component that
// imports no WASI interface gets no shim at all (glue-imports.ts).
const wasi = init.importsWasi ? await import("./sandbox/imports.js") : undefined;
// A rewritten glue hands over the functions on its handle tables as it starts to instantiate
// (synchronously, within the call to instantiate).
let handedHandles: GlueHandles | undefined;
const imports = {
  ...withVersionedKeys(wasi ? wasi.sandboxImports(init.sandbox, recorder, lookupHost) : {}, ["0.2.12", "0.2.10", "0.2.3", "0.2.0"]),
  ...withVersionedKeys(hostServices, ["0.1.0"]),
  [CLEAR_HANDLES_KEY]: (handles: GlueHandles) => (handedHandles = handles),
};

/** The addresses `host` resolves to, asked of the host's thread, or why it has none. */
function lookupHost(host: string): { addresses: string[] } | { failure: string } {
  try {
    const json = requestFromWorker((_method: "resolve-host", params, shared) => send({ type: "resolve-host", host: params, shared }), "resolve-host", host);
    return { addresses: JSON.parse(json) as string[] };
  } catch (error) {
    return { failure: (error as { payload?: string }).payload ?? String(error) };
  }
}

const slackBytes = memorySlack(init.memoryLimitBytes);
const recycled = new RecycledMemories(slackBytes);
const imageOf = new Map<WebAssembly.Module, MemoryImage>(Object.entries(init.memoryImages).map(([file, image]) => [init.modules[file]!, image]));

async function freshInstance(): Promise<Prepared> {
  const memories: WebAssembly.Memory[] = [];
  const lent: LentMemory[] = [];
  const instances: WebAssembly.Instance[] = [];
  const instanceImports: object[] = [];
  let reusedMemory = false;
  handedHandles = undefined;
  const instantiating = instantiateComponent(
    (name) => {
      const module = init.modules[name];
      if (!module) throw new Error(`the component asked for a core module "${name}" that was not compiled`);
      return module;
    },
    imports,
    async (module, coreImports) => {
      instanceImports.push(coreImports ?? {});
      const image = imageOf.get(module);
      if (!image) return track(await WebAssembly.instantiate(module, coreImports as WebAssembly.Imports));
      const { memory, reused } = recycled.take(image);
      const instance = await WebAssembly.instantiate(module, RecycledMemories.withMemory(coreImports, memory));
      lent.push({ image, memory });
      reusedMemory ||= reused;
      return track(instance);
    },
  );
  const handles = handedHandles as GlueHandles | undefined; // set by the glue within instantiate()
  const exports = await instantiating;
  reportInstance(reusedMemory);
  const clearHandles = handles?.clear;
  // A handle taken while instantiating (by a start function) would be gone after a reset.
  if (!init.reset || handles?.inUse()) return { exports, memories, lent, ...(clearHandles ? { clearHandles } : {}) };
  return { exports, memories, lent, snapshot: InstanceSnapshot.take(instances, instanceImports, lent, init.resetTables), ...(clearHandles ? { clearHandles } : {}) };

  function track(instance: WebAssembly.Instance): WebAssembly.Instance {
    instances.push(instance);
    for (const value of Object.values(instance.exports)) if (value instanceof WebAssembly.Memory) memories.push(value);
    return instance;
  }
}

/** Instances made before the host heard "ready", reported right after it (the host waits for "ready" first). */
let unreported: boolean[] | undefined = [];

function reportInstance(recycledMemory: boolean): void {
  if (unreported) unreported.push(recycledMemory);
  else send({ type: "instance", recycledMemory });
}

function prepareNext(): void {
  next = freshInstance();
  next.catch(() => undefined);
}

function lookup(exports: Exports, path: string[]): (...args: unknown[]) => unknown {
  let current: unknown = exports;
  for (const [index, key] of path.entries()) {
    const scope = current as Exports;
    // An interface export is keyed by its full name (`ns:pkg/iface@1.0.0`); some jco versions
    // key it by the bare interface name in camelCase instead.
    current = scope[key] ?? (index === 0 && path.length > 1 ? scope[camelInterface(key)] : undefined);
    if (current === undefined) throw new Error(`the component has no export ${path.join(".")}`);
  }
  return current as (...args: unknown[]) => unknown;
}

function camelInterface(qualified: string): string {
  const bare = qualified.replace(/@.*$/, "").split("/").pop() ?? qualified;
  return bare.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function failure(error: unknown, returnsResult: boolean, memories: WebAssembly.Memory[]): CallFailure {
  // jco throws a WIT error result: wrapped in a ComponentError by older versions, as the bare
  // error value by newer ones. A trap is always an Error (WebAssembly.RuntimeError).
  if (error !== null && typeof error === "object" && "payload" in error && (error as { name?: string }).name === "ComponentError") {
    return { kind: "error-result", payload: (error as { payload: unknown }).payload };
  }
  if (returnsResult && !(error instanceof Error)) return { kind: "error-result", payload: error };
  const used = Math.max(0, ...memories.map((m) => m.buffer.byteLength));
  if (used >= init.memoryLimitBytes - 8 * MiB) {
    return limitFailure.memory(init.memoryLimitBytes);
  }
  const trap = error instanceof Error ? error.message : String(error);
  if (!uncaught) return { kind: "trap", message: trap };
  const described = describeUncaught(uncaught, sourceMap);
  notices.log("error", [described.message, ...described.stack.map((line) => `    at ${line}`)].join("\n"));
  return { kind: "trap", message: described.message, detail: trap };
}

type Settled = { ok: true; value: unknown } | ({ ok: false } & CallFailure);

/** The call's answer: its decisions are all sent first, so the host has them with the result. */
function finish(callId: number, settled: Settled): void {
  // The handles the guest still held are closed before the answer leaves: a client that has its
  // answer finds the call's files closed, whether the guest returned or trapped.
  if (calling) release(calling);
  notices.end();
  recorder.end();
  send({ type: "result", callId, ...settled } as FromWorker);
  resetTiming.answered(performance.now());
}

/** A value the host can take: not over the output limit, not nested past what a stack survives. */
function tooBig(value: unknown): CallFailure | undefined {
  if (!sizeAtMost(value, init.maxResultBytes)) return limitFailure.output(init.maxResultBytes);
  if (!depthAtMost(value, MAX_NESTING)) return { kind: "bad-answer", message: `the result is nested deeper than ${MAX_NESTING} levels; return a flatter value` };
  return undefined;
}

async function handle(message: ToWorker): Promise<void> {
  resetTiming.arrived(performance.now());
  pendingReset.flush();
  currentCallId = message.callId;
  notices.reset();
  uncaught = undefined;
  let prepared: Prepared | undefined;
  // The guest returned (a value or a WIT error): its instance is done and its Memory reusable.
  let returned = false;
  try {
    if (message.provider && "call" in message.provider) {
      const problem = providerArguments(message.provider.call, message.args[1] as string);
      if (problem) return finish(message.callId, { ok: false, kind: "invalid-arguments", message: problem });
    }
    const ready = current ?? next ?? freshInstance();
    current = undefined;
    next = undefined;
    prepared = calling = await ready;
    recorder.begin();
    const raw = await lookup(prepared.exports, message.exportPath)(...message.args);
    returned = true;
    const rawProblem = message.provider ? undefined : tooBig(raw);
    if (rawProblem) return finish(message.callId, { ok: false, ...rawProblem });
    const answer = message.provider ? providerAnswer(init.componentId, message.provider, raw) : { value: raw };
    if ("problem" in answer) return finish(message.callId, { ok: false, kind: "bad-answer", message: answer.problem });
    const problem = tooBig(answer.value);
    finish(message.callId, problem ? { ok: false, ...problem } : { ok: true, value: answer.value });
  } catch (error) {
    const failed = failure(error, message.returnsResult, prepared?.memories ?? []);
    returned ||= failed.kind === "error-result";
    finish(message.callId, { ok: false, ...failed });
  } finally {
    currentCallId = -1;
    calling = undefined;
    if (!prepared) {
      // The call never reached an instance (refused arguments, or instantiation failed): what
      // was ready stays ready, and a failed instantiation is tried again by the next call.
    } else if (returned && prepared.snapshot) {
      pendingReset.schedule(prepared, resetTiming.delayMs());
    } else {
      // After a trap or a limit, the Memory is dropped: the next instance gets a new one.
      if (returned) recycled.giveBack(prepared.lent);
      prepareNext();
    }
  }
}

/** Resets an instance its call returned from for the next call; one that grew past its slack gets a new Memory instead. */
function resetReturned(prepared: Prepared): void {
  if (prepared.snapshot!.restore(slackBytes)) {
    current = prepared;
    send({ type: "reset" });
  } else {
    recycled.giveBack(prepared.lent);
    prepareNext();
  }
}

/**
 * Empties the instance's handle tables and closes what its guest still held (WASI files,
 * streams), whether the instance is reset or dropped: a dropped one's files would otherwise wait
 * for the garbage collector, holding descriptors the whole process shares.
 */
function release(prepared: Prepared): void {
  const held = prepared.clearHandles?.();
  if (held?.length) wasi?.releaseHeld(held);
}

try {
  cheapenMissingPromising();
  ({ instantiate: instantiateComponent } = (await import(init.jsUrl)) as { instantiate: Instantiate });
  next = freshInstance();
  await next;
  send({ type: "ready" });
  for (const recycledMemory of unreported) send({ type: "instance", recycledMemory });
  unreported = undefined;
} catch (error) {
  send({ type: "init-failed", message: error instanceof Error ? error.message : String(error) });
}

// Calls are handled one at a time, in order.
let queue = Promise.resolve();
port.on("message", (message: ToWorker) => {
  queue = queue.then(() => handle(message));
});
