// The host's handle on one component's worker thread: starts it, sends calls, enforces a time
// limit by terminating the worker, captures the guest's stdout/stderr, and restarts after a
// crash. Calls to one component run one at a time, in order.
import { once } from "node:events";
import type { Worker } from "node:worker_threads";
import { startWorker } from "./worker-threads.js";
import { OutputCapture } from "./output-capture.js";
import { limitFailure } from "./limit-failures.js";
import { answerWorker } from "./client-requests.js";
import type { CallFailure, ClientMethod, FromWorker, InitWorker, LogLevel, ToWorker, WorkerInit } from "./protocol.js";
import { COUNTER_SLOTS, DecisionLog, type Decision } from "./sandbox/decisions.js";

export type CallRequest = Omit<ToWorker, "type" | "callId">;

export type CallOutcome = Settled & { decisions: Decision[] };

/** How a call ended, before its decisions are attached. */
type Settled = { ok: true; value: unknown } | ({ ok: false } & CallFailure);

export interface CallHooks {
  /** Aborting stops the call: its worker is terminated and replaced. */
  signal?: AbortSignal;
  onLog?: (level: LogLevel, message: string) => void;
  onProgress?: (done: number, total?: number, message?: string) => void;
  /** Sends the guest's request to the MCP client: resolves with the result's JSON, rejects with a message. */
  onClientRequest?: (method: ClientMethod, params: string, signal: AbortSignal) => Promise<string>;
  /** The call is sent to its worker: it waited in no queue from here on (the executor's trace span). */
  onRun?: () => void;
}

export interface GuestOutput {
  componentId: string;
  stream: "stdout" | "stderr";
  line: string;
}

export interface WorkerOptions {
  timeoutMs: number;
  /** Longest guest output line forwarded; longer lines are cut with a notice. */
  maxOutputLine: number;
  /** Guest output forwarded per call and stream; the rest is dropped with a notice. */
  maxOutputBytes: number;
  onOutput: (output: GuestOutput) => void;
  /** Resolves a host name a guest's HTTP request names, for the address check. */
  resolveHost?: (host: string) => Promise<string[]>;
  /** A worker made a component instance, on a recycled Memory or on new ones (the metrics). */
  onInstance?: (recycledMemory: boolean) => void;
  /** A worker reset an instance after a call, for the next call (the metrics). */
  onReset?: () => void;
}

interface PendingCall {
  resolve: (outcome: CallOutcome) => void;
  hooks: CallHooks;
  /**
   * Aborted when the call ends, however it ends: its requests to the client are withdrawn. Made
   * with the call's first request to the client (an abort's DOMException costs each call ~30 µs).
   */
  ended?: AbortController;
  /** What the call was allowed and denied so far, streamed from the worker. */
  decisions: DecisionLog;
}

export class ComponentWorker {
  private worker: Worker | undefined;
  private starting: Promise<Worker> | undefined;
  private nextCallId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private queue: Promise<unknown> = Promise.resolve();
  private captures: OutputCapture[] = [];
  private closed = false;
  /** The current worker's counters of repeated decisions (see DecisionRecorder). */
  private counters: Int32Array | undefined;

  constructor(
    private readonly init: WorkerInit,
    private readonly options: WorkerOptions,
  ) {}

  /** Starts the worker ahead of the first call. */
  warm(): Promise<void> {
    return this.ensureStarted().then(() => undefined);
  }

  call(request: CallRequest, hooks: CallHooks = {}): Promise<CallOutcome> {
    const run = this.queue.then(() => this.callNow(request, hooks));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Stops the worker now; calls still running or queued on it fail as unloaded. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.starting = undefined;
    this.closed = true;
    for (const callId of [...this.pending.keys()]) this.settle(callId, { ok: false, ...limitFailure.unloaded() });
    if (worker) await worker.terminate();
  }

  private async callNow(request: CallRequest, hooks: CallHooks): Promise<CallOutcome> {
    if (this.closed) return { ok: false, ...limitFailure.unloaded(), decisions: [] };
    let worker: Worker;
    try {
      worker = await this.ensureStarted();
    } catch (error) {
      return { ok: false, kind: "trap", message: (error as Error).message, decisions: [] };
    }
    for (const capture of this.captures) capture.reset();
    const callId = this.nextCallId++;
    const outcome = new Promise<CallOutcome>((resolve) => this.pending.set(callId, { resolve, hooks, decisions: new DecisionLog() }));
    const timer = setTimeout(() => {
      this.settle(callId, { ok: false, ...limitFailure.time(this.options.timeoutMs) });
      void this.restart();
    }, this.options.timeoutMs);
    const onAbort = () => {
      this.settle(callId, { ok: false, ...limitFailure.cancelled() });
      void this.restart();
    };
    hooks.signal?.addEventListener("abort", onAbort, { once: true });
    if (hooks.signal?.aborted) onAbort();
    else {
      hooks.onRun?.();
      worker.postMessage({ type: "call", callId, ...request } satisfies ToWorker);
    }
    try {
      return await outcome;
    } finally {
      clearTimeout(timer);
      hooks.signal?.removeEventListener("abort", onAbort);
    }
  }

  private ensureStarted(): Promise<Worker> {
    if (this.worker) return Promise.resolve(this.worker);
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async start(): Promise<Worker> {
    const counters = new SharedArrayBuffer(COUNTER_SLOTS * Int32Array.BYTES_PER_ELEMENT);
    const worker = startWorker();
    worker.postMessage({ type: "init", init: { ...this.init, decisionCounters: counters } } satisfies InitWorker);
    const limits = { maxLine: this.options.maxOutputLine, maxBytes: this.options.maxOutputBytes };
    const emit = (stream: "stdout" | "stderr") => (line: string) => this.options.onOutput({ componentId: this.init.componentId, stream, line });
    this.captures = [new OutputCapture(worker.stdout, limits, emit("stdout")), new OutputCapture(worker.stderr, limits, emit("stderr"))];
    worker.on("message", (message: FromWorker) => this.onMessage(message));
    this.counters = new Int32Array(counters);
    // A message the host cannot read (a value nested past its stack): the call would never end.
    worker.on("messageerror", (error) => this.onCrash(worker, `the component's answer could not be read: ${error.message}`, true));
    worker.on("error", (error) => this.onCrash(worker, `the component's worker failed: ${error.message}`));
    worker.on("exit", (code) => this.onCrash(worker, `the component's worker exited (code ${code})`));
    const [first] = (await Promise.race([once(worker, "message"), once(worker, "exit").then(() => [{ type: "init-failed", message: "the worker exited while starting" }])])) as [FromWorker];
    if (first.type !== "ready") {
      await worker.terminate();
      throw new Error(`component "${this.init.componentId}" could not be instantiated: ${first.type === "init-failed" ? first.message : "unexpected message"}`);
    }
    this.worker = worker;
    return worker;
  }

  private async restart(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private onMessage(message: FromWorker): void {
    if (message.type === "result") {
      const { type: _type, callId, ...outcome } = message;
      this.settle(callId, outcome as Settled);
      // A guest that ran into its memory limit holds that memory until its worker ends.
      if (!outcome.ok && outcome.kind === "limit" && outcome.reason === "memory") void this.restart();
    } else if (message.type === "instance") {
      this.options.onInstance?.(message.recycledMemory);
    } else if (message.type === "reset") {
      this.options.onReset?.();
    } else if (message.type === "decisions") {
      this.pending.get(message.callId)?.decisions.apply(message.update);
    } else if (message.type === "log") {
      this.pending.get(message.callId)?.hooks.onLog?.(message.level, message.message);
    } else if (message.type === "progress") {
      this.pending.get(message.callId)?.hooks.onProgress?.(message.done, message.total, message.message);
    } else if (message.type === "resolve-host") {
      const resolve = this.options.resolveHost ?? (() => Promise.reject(new Error("name resolution is not available here")));
      resolve(message.host).then(
        (addresses) => answerWorker(message.shared, { ok: true, json: JSON.stringify(addresses) }),
        // The error's code (ENOTFOUND, EAI_AGAIN) is what the guest's DNS-error carries.
        (error: NodeJS.ErrnoException) => answerWorker(message.shared, { ok: false, message: error.code ?? error.message }),
      );
    } else if (message.type === "client-request") {
      const call = this.pending.get(message.callId);
      const ask = call?.hooks.onClientRequest;
      const answer =
        call && ask
          ? ask(message.method, message.params, (call.ended ??= new AbortController()).signal)
          : Promise.reject(new Error(`${message.method} is not available here: no MCP client is connected`));
      answer.then(
        (json) => answerWorker(message.shared, { ok: true, json }),
        (error: Error) => answerWorker(message.shared, { ok: false, message: error.message }),
      );
    }
  }

  private onCrash(worker: Worker, message: string, stop = false): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const callId of [...this.pending.keys()]) this.settle(callId, { ok: false, kind: "trap", message });
    if (stop) void worker.terminate();
  }

  private settle(callId: number, settled: Settled): void {
    const call = this.pending.get(callId);
    if (!call) return;
    this.pending.delete(callId);
    call.ended?.abort();
    call.resolve({ ...settled, decisions: call.decisions.list(this.counters) });
  }
}
