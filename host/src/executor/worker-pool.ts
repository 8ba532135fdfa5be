// Up to `size` workers for one component, started as calls need them (one is started ahead).
// A call goes to an idle worker, else to a new one, else waits in a bounded queue; when the
// queue is full it fails at once with a "busy" error rather than piling up. A worker left idle
// for `idleStopMs` is stopped (one of several, for a tenth of it): its thread, heap and instance
// (45-140 MiB for a componentize-js tool) are given back, and the next call starts a new one. When the last one stops, the owner
// is told (PreparedComponent then lets the compiled code and memory images go as well).
import type { CallHooks, CallOutcome, CallRequest, ComponentWorker } from "./component-worker.js";
import { limitFailure } from "./limit-failures.js";

/** Workers beyond a component's last stop after this fraction of the idle stop (see stopWhenIdle). */
const EXTRA_WORKER_FRACTION = 10;

/** Told of the queue as it changes, for the metrics (observability/metrics.ts). */
export interface PoolObserver {
  /** A call started (+1) or stopped (-1) waiting for a worker. */
  waiting(componentId: string, change: 1 | -1): void;
  /** The queue was full: the call was refused as busy. */
  busy(componentId: string): void;
}

interface Waiting {
  request: CallRequest;
  hooks: CallHooks;
  resolve: (outcome: CallOutcome) => void;
}

export class WorkerPool {
  private readonly idle: ComponentWorker[] = [];
  private readonly all: ComponentWorker[] = [];
  private readonly waiting: Waiting[] = [];
  private readonly idleTimers = new Map<ComponentWorker, NodeJS.Timeout>();
  private closed = false;
  private draining = false;

  constructor(
    private readonly componentId: string,
    private readonly create: () => ComponentWorker,
    private readonly size: number,
    private readonly maxQueue: number,
    private readonly observer?: PoolObserver,
    /** Stops a worker idle this long; undefined keeps idle workers. */
    private readonly idleStopMs?: number,
    /** Told when idleness has stopped the pool's last worker (it still takes calls: it starts one). */
    private readonly onAllStopped?: () => void,
  ) {}

  /** Starts the first worker ahead of the first call. */
  async warm(): Promise<void> {
    const worker = this.spawn();
    await worker.warm();
    this.makeIdle(worker);
  }

  call(request: CallRequest, hooks: CallHooks = {}): Promise<CallOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, ...limitFailure.unloaded(), decisions: [] });
    const worker = this.takeIdle() ?? (this.all.length < this.size ? this.spawn() : undefined);
    if (worker) return this.run(worker, request, hooks);
    if (this.waiting.length >= this.maxQueue) {
      this.observer?.busy(this.componentId);
      return Promise.resolve({ ok: false, ...limitFailure.busy(this.componentId, this.size, this.waiting.length), decisions: [] });
    }
    return new Promise((resolve) => {
      const entry: Waiting = { request, hooks, resolve };
      this.waiting.push(entry);
      this.observer?.waiting(this.componentId, 1);
      hooks.signal?.addEventListener("abort", () => {
        const index = this.waiting.indexOf(entry);
        if (index === -1) return;
        this.waiting.splice(index, 1);
        this.observer?.waiting(this.componentId, -1);
        resolve({ ok: false, ...limitFailure.cancelled(), decisions: [] });
      });
    });
  }

  /** Closes once the calls already running or waiting have finished (a policy changed). */
  async closeWhenIdle(): Promise<void> {
    this.draining = true;
    if (this.idle.length === this.all.length && this.waiting.length === 0) await this.close();
  }

  /** Stops every worker now: running and waiting calls fail with "the component was unloaded". */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    for (const entry of this.waiting.splice(0)) {
      this.observer?.waiting(this.componentId, -1);
      entry.resolve({ ok: false, ...limitFailure.unloaded(), decisions: [] });
    }
    await Promise.all(this.all.map((w) => w.close()));
  }

  private spawn(): ComponentWorker {
    const worker = this.create();
    this.all.push(worker);
    return worker;
  }

  private takeIdle(): ComponentWorker | undefined {
    const worker = this.idle.pop();
    if (worker) {
      clearTimeout(this.idleTimers.get(worker));
      this.idleTimers.delete(worker);
    }
    return worker;
  }

  private makeIdle(worker: ComponentWorker): void {
    this.idle.push(worker);
    if (this.idleStopMs === undefined || this.closed) return;
    this.stopWhenIdle(worker, performance.now());
  }

  /**
   * A worker beyond the component's last stops after a tenth of the idle stop (30 s of the
   * default 5 min): it was started for a burst of calls, and holds ~45-55 MiB for a
   * componentize-js tool. The last one stops after the whole of it.
   */
  private stopWhenIdle(worker: ComponentWorker, idleSince: number): void {
    const idleStopMs = this.idleStopMs!;
    const elapsed = performance.now() - idleSince;
    const delay = Math.max(0, (this.all.length > 1 ? idleStopMs / EXTRA_WORKER_FRACTION : idleStopMs) - elapsed);
    const timer = setTimeout(() => {
      this.idleTimers.delete(worker);
      const index = this.idle.indexOf(worker);
      if (index === -1) return;
      // Left the last one while it waited: it is kept for the rest of the whole idle stop.
      if (this.all.length === 1 && performance.now() - idleSince < idleStopMs) return this.stopWhenIdle(worker, idleSince);
      this.idle.splice(index, 1);
      this.all.splice(this.all.indexOf(worker), 1);
      void worker.close();
      if (this.all.length === 0 && this.waiting.length === 0) this.onAllStopped?.();
    }, delay);
    // An idle worker's timer must not keep a one-shot process (airlock call) alive.
    timer.unref();
    this.idleTimers.set(worker, timer);
  }

  private async run(worker: ComponentWorker, request: CallRequest, hooks: CallHooks): Promise<CallOutcome> {
    try {
      return await worker.call(request, hooks);
    } finally {
      const next = this.closed ? undefined : this.waiting.shift();
      if (next) {
        this.observer?.waiting(this.componentId, -1);
        void this.run(worker, next.request, next.hooks).then(next.resolve);
      } else {
        this.makeIdle(worker);
        if (this.draining && this.idle.length === this.all.length) void this.close();
      }
    }
  }
}
