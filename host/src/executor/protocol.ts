// Messages between the host and a component's worker thread.

import type { Decision } from "./sandbox/decisions.js";

/** What a component's sandbox grants, derived from its policy. */
export interface SandboxConfig {
  componentId: string;
  storage: { path: string; write: boolean }[];
  network: string[];
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
  /** The cap compiled into the modules' memories, for error messages. */
  memoryLimitBytes: number;
  /** Largest result the worker sends back; a larger one fails the call. */
  maxResultBytes: number;
}

export type ToWorker = {
  type: "call";
  callId: number;
  exportPath: string[];
  args: unknown[];
  /** The function returns a WIT `result`, whose error case jco throws as a plain value. */
  returnsResult: boolean;
};

export type CallFailure =
  /** The function returned a WIT `result` error: a normal answer, carrying the error value. */
  | { kind: "error-result"; payload: unknown }
  /** The guest trapped or threw outside a result. */
  | { kind: "trap"; message: string }
  /** A limit of the host stopped the call (time, memory, output size, cancellation). */
  | { kind: "limit"; message: string };

export type FromWorker =
  | { type: "ready" }
  | { type: "init-failed"; message: string }
  | { type: "result"; callId: number; ok: true; value: unknown; decisions: Decision[] }
  | ({ type: "result"; callId: number; ok: false; decisions: Decision[] } & CallFailure)
  | { type: "log"; callId: number; level: LogLevel; message: string }
  | { type: "progress"; callId: number; done: number; total?: number; message?: string };

export type LogLevel = "debug" | "info" | "notice" | "warning" | "error";
