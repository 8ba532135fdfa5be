// Messages between the host and a component's worker thread.

import type { LimitFailure } from "./limit-failures.js";
import type { ProvidedTool } from "../tools/provided-tools.js";
import type { MemoryImage } from "./recyclable-module.js";
import type { DecisionUpdate } from "./sandbox/decisions.js";

/** What a component's sandbox grants, derived from its policy. */
export interface SandboxConfig {
  componentId: string;
  storage: { path: string; write: boolean }[];
  network: string[];
  /** Whether granted names may resolve to loopback, private or link-local addresses. */
  privateNetwork: boolean;
  /** Granted variables with the host's values. */
  environment: Record<string, string>;
}

export interface WorkerInit {
  componentId: string;
  sandbox: SandboxConfig;
  /** file:// URL of jco's generated ES module. */
  jsUrl: string;
  /** Compiled core modules by file name, compiled once in the host (memory capped) and shared. */
  modules: Record<string, WebAssembly.Module>;
  /**
   * Memory images by core module file name, for the modules rewritten to import their memory:
   * each instance of such a module starts on a recycled Memory restored from its image.
   */
  memoryImages: Record<string, MemoryImage>;
  /** The cap compiled into the modules' memories, for error messages. */
  memoryLimitBytes: number;
  /** Largest result the worker sends back; a larger one fails the call. */
  maxResultBytes: number;
  /** Counters of the running call's repeated decisions, shared with the host (one worker's own). */
  decisionCounters?: SharedArrayBuffer;
  /** The tool's source map (JSON), from the component's airlock-source-map section. */
  sourceMap?: string;
  /** Whether the component imports any WASI interface: if not, the worker loads no WASI shim. */
  importsWasi: boolean;
  /**
   * Whether an instance may be reset after a call that returned normally and serve the next
   * call (instance-reset.ts), rather than be replaced by a new one.
   */
  reset: boolean;
  /**
   * Whether a reset restores tables too: false when no core module has an instruction that
   * writes a table, so they stay as instantiation left them (table-writes.ts).
   */
  resetTables: boolean;
}

/** The first message a worker thread gets: the component it runs (worker-threads.ts). */
export interface InitWorker {
  type: "init";
  init: WorkerInit;
}

export type ToWorker = {
  type: "call";
  callId: number;
  exportPath: string[];
  args: unknown[];
  /** The function returns a WIT `result`, whose error case jco throws as a plain value. */
  returnsResult: boolean;
  /**
   * Work on a provider component's schemas, done here in the worker, under the call's limits,
   * because the schemas come from the guest (a pathological pattern must not stall the host):
   * `list` checks what list-tools returned; `call` validates the arguments against the tool's
   * input schema before the call and turns the answer into MCP content after it.
   */
  provider?: { list: true } | { call: ProvidedTool };
};

export type CallFailure =
  /** The function returned a WIT `result` error: a normal answer, carrying the error value. */
  | { kind: "error-result"; payload: unknown }
  /**
   * The guest trapped or threw outside a result. For a tool that reported an uncaught exception,
   * `message` is its own words and place, and `detail` the engine's trap text.
   */
  | { kind: "trap"; message: string; detail?: string }
  /** A limit of the host stopped the call (time, memory, output size, busy, cancellation, unload). */
  | LimitFailure
  /** The arguments do not match a provider tool's input schema: the guest was not called. */
  | { kind: "invalid-arguments"; message: string }
  /** A provider component answered list-tools or call-tool with something unusable. */
  | { kind: "bad-answer"; message: string };

export type FromWorker =
  | { type: "ready" }
  | { type: "init-failed"; message: string }
  /** The worker made an instance (ahead of the call that will use it), on a recycled Memory or on new ones. */
  | { type: "instance"; recycledMemory: boolean }
  /** The worker reset the instance a call returned from; it serves the next call. */
  | { type: "reset" }
  | { type: "result"; callId: number; ok: true; value: unknown }
  | ({ type: "result"; callId: number; ok: false } & CallFailure)
  /** Decisions of the running call, sent as they are made (before its result). */
  | { type: "decisions"; callId: number; update: DecisionUpdate }
  | { type: "log"; callId: number; level: LogLevel; message: string }
  | { type: "progress"; callId: number; done: number; total?: number; message?: string }
  /**
   * The guest waits (Atomics.wait on `shared[0]`) for the answer to a request to the MCP client.
   * The host writes the answer's UTF-8 bytes from offset 8, its length to `shared[1]`, and then
   * 1 (ok) or 2 (error) to `shared[0]`.
   */
  | { type: "client-request"; callId: number; method: ClientMethod; params: string; shared: SharedArrayBuffer }
  /** The guest's HTTP request waits, as for a client request, for the addresses `host` resolves to (JSON). */
  | { type: "resolve-host"; host: string; shared: SharedArrayBuffer };

export type ClientMethod = "sampling/createMessage" | "elicitation/create";

/** The largest request (params JSON) a guest may send to the client. */
export const MAX_CLIENT_REQUEST_CHARS = 1024 * 1024;

/** The largest answer from the client a guest receives. */
export const MAX_CLIENT_ANSWER_BYTES = 1024 * 1024;

export type LogLevel = "debug" | "info" | "notice" | "warning" | "error";
