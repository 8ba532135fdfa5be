// Large buffers cost the kernel a page fault for every 4 KiB page at its first write: ~15 µs
// each on the 2-core VMs this was measured on, so a host's first call spent ~120 ms reading a
// component's prepared module and memory image (33 MB for the grammar checker) into new buffers
// and ~120 ms more writing the image into a new 37 MiB linear memory. A range marked
// MADV_HUGEPAGE faults 2 MiB at a time where the kernel's transparent huge pages run in
// "madvise" mode (Debian's and most distributions' default): 24 MB filled in 15 ms instead of
// 76, the image restored in ~48 ms instead of ~120. madvise is called through koffi (an optional
// dependency), loaded in a thread only once a buffer is large enough to repay its ~8 ms; where
// it is missing, or the kernel ignores the advice, buffers fault as before.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const MiB = 1024 * 1024;
/** Smaller buffers fault in less time than loading koffi in a worker takes. */
const WORTH_IT_BYTES = 8 * MiB;
const PAGE_BYTES = 4096;
const MADV_HUGEPAGE = 14;

export type HugePageMode = "always" | "madvise" | "never";

/** How the kernel runs transparent huge pages, from /sys/kernel/mm/transparent_hugepage/enabled ("always [madvise] never"). */
export function hugePageMode(enabled: string | undefined): HugePageMode | undefined {
  return /\[(always|madvise|never)\]/.exec(enabled ?? "")?.[1] as HugePageMode | undefined;
}

/** Whether a new buffer of `bytes` is worth marking (pure: adviseHugePages applies it). */
export function worthHugePages(mode: HugePageMode | undefined, bytes: number): boolean {
  // "always" gives every large mapping huge pages unasked; "never" ignores the advice.
  return mode === "madvise" && bytes >= WORTH_IT_BYTES;
}

/** Where the first whole page of a buffer at `address` starts, as an offset into it. */
export function firstPageOffset(address: number): number {
  return (PAGE_BYTES - (address % PAGE_BYTES)) % PAGE_BYTES;
}

interface Libc {
  madvise(addr: Uint8Array, length: number, advice: number): number;
  /** memmove(view, view, 0) moves nothing and answers the view's address. */
  addressOf(dest: Uint8Array, src: Uint8Array, length: number): number | bigint;
}

let libc: Libc | null | undefined;
let mode: HugePageMode | undefined | null = null;

/**
 * Asks the kernel to back the whole pages of `bytes` with huge pages; to be called before
 * anything is written to them. Never throws. Only the buffer as it is now is marked: a linear
 * memory's later growth is not.
 */
export function adviseHugePages(bytes: Uint8Array): void {
  mode ??= readMode();
  if (!worthHugePages(mode, bytes.byteLength)) return;
  libc ??= loadLibc();
  if (!libc) return;
  const offset = firstPageOffset(Number(libc.addressOf(bytes, bytes, 0)));
  if (offset < bytes.byteLength) libc.madvise(bytes.subarray(offset), bytes.byteLength - offset, MADV_HUGEPAGE);
}

function readMode(): HugePageMode | undefined {
  if (process.platform !== "linux") return undefined;
  try {
    return hugePageMode(readFileSync("/sys/kernel/mm/transparent_hugepage/enabled", "utf8"));
  } catch {
    return undefined;
  }
}

function loadLibc(): Libc | null {
  try {
    const koffi = createRequire(import.meta.url)("koffi") as typeof import("koffi");
    const lib = koffi.load("libc.so.6");
    return {
      madvise: lib.func("int madvise(void *addr, size_t len, int advice)") as Libc["madvise"],
      addressOf: lib.func("uintptr_t memmove(void *dest, void *src, size_t n)") as Libc["addressOf"],
    };
  } catch {
    return null;
  }
}
