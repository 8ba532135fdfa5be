// Runs inside a worker thread: instantiates one component and answers calls to it. A trap
// poisons a component instance, so the next call gets a fresh one.
import { parentPort, workerData } from "node:worker_threads";
import type { CallFailure, FromWorker, LogLevel, ToWorker, WorkerInit } from "./protocol.js";
import { DecisionRecorder } from "./sandbox/decisions.js";
import { sandboxImports, withVersionedKeys } from "./sandbox/imports.js";

const init = workerData as WorkerInit;
const port = parentPort!;
const send = (message: FromWorker) => port.postMessage(message);

type Instantiate = (getCoreModule: (name: string) => WebAssembly.Module, imports: object) => Promise<Record<string, unknown>>;

let currentCallId = -1;
const recorder = new DecisionRecorder();
const hostServices = {
  "airlock:tool/logging": {
    log: (level: LogLevel, message: string) => send({ type: "log", callId: currentCallId, level, message }),
  },
  "airlock:tool/progress": {
    report: (done: number, total?: number, message?: string) =>
      send({ type: "progress", callId: currentCallId, done, ...(total === undefined ? {} : { total }), ...(message === undefined ? {} : { message }) }),
  },
};

let instantiateComponent: Instantiate;
let instance: Record<string, unknown> | undefined;

async function freshInstance(): Promise<Record<string, unknown>> {
  const imports = { ...withVersionedKeys(sandboxImports(init.sandbox, recorder), ["0.2.12", "0.2.10", "0.2.3", "0.2.0"]), ...withVersionedKeys(hostServices, ["0.1.0"]) };
  return instantiateComponent((name) => {
    const module = init.modules[name];
    if (!module) throw new Error(`the component asked for a core module "${name}" that was not compiled`);
    return module;
  }, imports);
}

function lookup(exports: Record<string, unknown>, path: string[]): (...args: unknown[]) => unknown {
  let current: unknown = exports;
  for (const [index, key] of path.entries()) {
    const scope = current as Record<string, unknown>;
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

function failure(error: unknown, returnsResult: boolean): CallFailure {
  // jco throws a WIT error result: wrapped in a ComponentError by older versions, as the bare
  // error value by newer ones. A trap is always an Error (WebAssembly.RuntimeError).
  if (error !== null && typeof error === "object" && "payload" in error && (error as { name?: string }).name === "ComponentError") {
    return { kind: "error-result", payload: (error as { payload: unknown }).payload };
  }
  if (returnsResult && !(error instanceof Error)) return { kind: "error-result", payload: error };
  return { kind: "trap", message: error instanceof Error ? error.message : String(error) };
}

async function handle(message: ToWorker): Promise<void> {
  currentCallId = message.callId;
  try {
    instance ??= await freshInstance();
    const value = await lookup(instance, message.exportPath)(...message.args);
    send({ type: "result", callId: message.callId, ok: true, value, decisions: recorder.drain() });
  } catch (error) {
    const outcome = failure(error, message.returnsResult);
    if (outcome.kind === "trap") instance = undefined;
    send({ type: "result", callId: message.callId, ok: false, ...outcome, decisions: recorder.drain() });
  } finally {
    currentCallId = -1;
  }
}

try {
  ({ instantiate: instantiateComponent } = (await import(init.jsUrl)) as { instantiate: Instantiate });
  instance = await freshInstance();
  recorder.drain();
  send({ type: "ready" });
} catch (error) {
  send({ type: "init-failed", message: error instanceof Error ? error.message : String(error) });
}

// Calls are handled one at a time, in order.
let queue = Promise.resolve();
port.on("message", (message: ToWorker) => {
  queue = queue.then(() => handle(message));
});
