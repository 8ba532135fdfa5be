// Up to `size` workers for one component, started as calls need them (one is started ahead).
// A call goes to an idle worker, else to a new one, else waits in a bounded queue; when the
// queue is full it fails at once with a "busy" error rather than piling up.
import type { CallHooks, CallOutcome, CallRequest, ComponentWorker } from "./component-worker.js";

interface Waiting {
  request: CallRequest;
  hooks: CallHooks;
  resolve: (outcome: CallOutcome) => void;
}

export class WorkerPool {
  private readonly idle: ComponentWorker[] = [];
  private readonly all: ComponentWorker[] = [];
  private readonly waiting: Waiting[] = [];

  constructor(
    private readonly componentId: string,
    private readonly create: () => ComponentWorker,
    private readonly size: number,
    private readonly maxQueue: number,
  ) {}

  /** Starts the first worker ahead of the first call. */
  async warm(): Promise<void> {
    const worker = this.spawn();
    await worker.warm();
    this.idle.push(worker);
  }

  call(request: CallRequest, hooks: CallHooks = {}): Promise<CallOutcome> {
    const worker = this.idle.pop() ?? (this.all.length < this.size ? this.spawn() : undefined);
    if (worker) return this.run(worker, request, hooks);
    if (this.waiting.length >= this.maxQueue) {
      return Promise.resolve({
        ok: false,
        kind: "limit",
        message: `busy: component "${this.componentId}" is already running ${this.size} calls with ${this.waiting.length} more waiting; try again shortly`,
        decisions: [],
      });
    }
    return new Promise((resolve) => {
      const entry: Waiting = { request, hooks, resolve };
      this.waiting.push(entry);
      hooks.signal?.addEventListener("abort", () => {
        const index = this.waiting.indexOf(entry);
        if (index === -1) return;
        this.waiting.splice(index, 1);
        resolve({ ok: false, kind: "limit", message: "the call was cancelled", decisions: [] });
      });
    });
  }

  async closeWhenIdle(): Promise<void> {
    await Promise.all(this.all.map((w) => w.closeWhenIdle()));
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.close()));
  }

  private spawn(): ComponentWorker {
    const worker = this.create();
    this.all.push(worker);
    return worker;
  }

  private async run(worker: ComponentWorker, request: CallRequest, hooks: CallHooks): Promise<CallOutcome> {
    try {
      return await worker.call(request, hooks);
    } finally {
      const next = this.waiting.shift();
      if (next) void this.run(worker, next.request, next.hooks).then(next.resolve);
      else this.idle.push(worker);
    }
  }
}
