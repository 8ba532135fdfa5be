// The linear memories a worker hands from one instance to the next (see recyclable-module.ts).
// A Memory is handed on only after its instance's call returned normally; it is restored from
// the image (image bytes, every other byte zeroed) before the next instance starts on it. A
// Memory that grew past a slack is replaced: memory cannot shrink, and a restored allocator
// forgets the grown pages, so keeping it would leave each new instance less room.
import { adviseHugePages } from "./huge-pages.js";
import { PAGE } from "./memory-limit.js";
import { restoreImage, RECYCLED_MEMORY_IMPORT, type MemoryImage } from "./recyclable-module.js";

const MiB = 1024 * 1024;

/** Growth past the initial size that a recycled Memory may carry: 64 MiB, at most 1/8 of the limit. */
export function memorySlack(limitBytes: number): number {
  return Math.min(64 * MiB, Math.floor(limitBytes / 8));
}

/**
 * Why jco's glue could run guest code after a call has returned, if it could: a resource's
 * destructor called from a FinalizationRegistry, or component-model async tasks resumed from a
 * timer. Such code would run in an old instance against the Memory a new instance now uses, so
 * these components get a brand-new Memory for every instance. The glue is jco's output for a
 * pinned version (see transpile-cache.ts), so its text is a reliable witness.
 */
export function glueRunsGuestCodeLater(glue: string): string | undefined {
  if (glue.includes("FinalizationRegistry")) return "it exports resources, whose destructors run when the garbage collector finds them";
  if (/\b(?:isAsync|funcTypeIsAsync): true\b/.test(glue) || /\bcallbackFnName: ['"]/.test(glue)) return "it has async functions, which jco resumes after the call";
  return undefined;
}

export interface LentMemory {
  image: MemoryImage;
  memory: WebAssembly.Memory;
}

export class RecycledMemories {
  private readonly spare = new Map<MemoryImage, WebAssembly.Memory>();

  constructor(private readonly slackBytes: number) {}

  /**
   * A Memory holding exactly `image` (the rest zero), of the image's initial size or a little
   * more; `reused` tells whether it is a previous instance's (the metrics count instances by it).
   */
  take(image: MemoryImage): { memory: WebAssembly.Memory; reused: boolean } {
    const spare = this.spare.get(image);
    this.spare.delete(image);
    if (spare && spare.buffer.byteLength <= image.minPages * PAGE + this.slackBytes) {
      restoreImage(spare, image);
      return { memory: spare, reused: true };
    }
    const memory = new WebAssembly.Memory({ initial: image.minPages, maximum: image.maxPages });
    // Before the image is written: its first writes are what the kernel's page faults cost.
    adviseHugePages(new Uint8Array(memory.buffer));
    restoreImage(memory, image, true);
    return { memory, reused: false };
  }

  /** Memories whose instances are done and will never run again (their calls returned normally). */
  giveBack(lent: LentMemory[]): void {
    for (const { image, memory } of lent) this.spare.set(image, memory);
  }

  /** `imports` with `memory` added under the name a rewritten module imports it by. */
  static withMemory(imports: object | undefined, memory: WebAssembly.Memory): WebAssembly.Imports {
    return { ...(imports as WebAssembly.Imports | undefined), [RECYCLED_MEMORY_IMPORT.module]: { [RECYCLED_MEMORY_IMPORT.name]: memory } };
  }
}
