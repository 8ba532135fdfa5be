// A full garbage collection of the host's thread, soon, once. What an idle component lets go
// (compiled modules, memory images) lives outside V8's heap, behind small objects in it: V8
// counts little of it towards its next collection, and a host with nothing to do would hold it
// until some later traffic caused one. The collection costs the thread a pause of tens of
// milliseconds, at most once per component per idle period, when the host is idle anyway; glibc
// is then asked to give back what it keeps freed (glibc-allocator.ts).
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { giveBackFreedMemory } from "../glibc-allocator.js";

let gc: (() => void) | undefined;
let scheduled: NodeJS.Timeout | undefined;

export function collectSoon(): void {
  if (scheduled) return;
  scheduled = setTimeout(() => {
    scheduled = undefined;
    collectNow();
    // What the collection freed, and the compiler's freed memory before it, glibc would keep.
    giveBackFreedMemory();
  }, 100);
  // A collection must not keep a one-shot process alive.
  scheduled.unref();
}

function collectNow(): void {
  if (!gc) {
    // Exposes `gc` to contexts made from here on (this one stays as it was).
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  gc();
}
