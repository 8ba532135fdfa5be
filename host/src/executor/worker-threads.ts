// Starts the worker threads components run in. A thread takes ~0.1 s to boot and load the
// worker's code before it can take a component, so one can be started ahead (a "spare") the
// moment a component is about to need it: its boot then runs on another core while this thread
// validates the first call's arguments, reads the component's modules and compiles them.
// A thread learns its component from its first message (WorkerInit), never from workerData.
import { Worker } from "node:worker_threads";

const WORKER_SCRIPT = new URL("./worker-main.js", import.meta.url);
const WORKER_YOUNG_GENERATION_MB = 4;
const WORKER_HEAP_MB = 1024;

let spare: Worker | undefined;

/** A new worker thread, waiting for its WorkerInit; started ahead by prestartWorker() if it was. */
export function startWorker(): Worker {
  const worker = spare ?? spawn();
  spare = undefined;
  // The caller listens from here on (synchronously, before any event is delivered).
  worker.removeAllListeners("exit");
  worker.removeAllListeners("error");
  worker.ref();
  return worker;
}

/**
 * Starts a thread now for the next startWorker() to take, unless one is already waiting. It does
 * not keep the process alive; a spare that dies waiting is simply forgotten.
 */
export function prestartWorker(): void {
  if (spare) return;
  const worker = spawn();
  worker.unref();
  const forget = () => {
    if (spare === worker) spare = undefined;
  };
  worker.once("exit", forget);
  // An 'error' with no listener would end the process; the thread exits after it.
  worker.on("error", forget);
  spare = worker;
}

function spawn(): Worker {
  return new Worker(WORKER_SCRIPT, {
    stdout: true,
    stderr: true,
    // Linear memory is capped in the modules; this caps the JavaScript side, where a guest's
    // result is lifted (a list of millions of small records becomes gigabytes of objects).
    // A small young generation: V8's default (up to 32 MiB per isolate, each worker its own)
    // filled with each instance's short-lived glue objects before a scavenge. With 4 MiB the
    // host's peak RSS with four components (bench/compare.mjs) went from 748-813 to 562-623 MiB;
    // throughput moved within this 2-core machine's run-to-run noise (echo at concurrency 16:
    // 385-389 against 426-493 calls/s with the default, 370 with 16 MiB; grammar unchanged).
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
}
