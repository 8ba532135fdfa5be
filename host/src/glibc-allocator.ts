// glibc's malloc keeps what it frees for reuse, and two of its defaults make a host keep far
// more than it uses: after V8 frees a buffer of a few MiB (compiling a component frees tens), it
// raises its mmap threshold to that size, so every later buffer below it comes from the heap,
// whose freed space it keeps; and it gives each new thread that allocates an arena of its own,
// up to eight per core (a host runs a worker thread per component). Measured with the three
// sample tools after 1,000 calls each: 655 MiB with glibc's defaults, 466 MiB with the
// threshold fixed at its default (128 KiB) and the arenas capped at two. The environment
// variables that set these must be in place when a process starts (an MCP client's server entry
// rarely has them), so `serve` sets the same through `mallopt` (koffi, a C FFI with prebuilt
// binaries, an optional dependency) as it starts. The cap then stops new arenas only: the few
// that Node's own threads made before (4 seen here) stay, and worker threads share them. What
// the environment sets is left as it is.
import { createRequire } from "node:module";
import { platform } from "node:os";

/** What `serve` asks of glibc's allocator, or why it leaves it as it is. */
export type AllocatorTuning = { arenaMax: number; mmapThresholdBytes: number } | { leftAsIs: string };

// glibc's <malloc.h>.
const M_MMAP_THRESHOLD = -3;
const M_ARENA_MAX = -8;

const ARENA_MAX = 2;
const MMAP_THRESHOLD_BYTES = 128 * 1024;

/** The tuning for a process with this environment (pure: see tuneAllocator for applying it). */
export function allocatorTuning(env: NodeJS.ProcessEnv, os: string): AllocatorTuning {
  if (os !== "linux") return { leftAsIs: `the allocator is ${os}'s, not glibc's` };
  const own = ["MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_"].filter((name) => env[name] !== undefined);
  if (/glibc\.malloc\./.test(env.GLIBC_TUNABLES ?? "")) own.push("GLIBC_TUNABLES");
  if (own.length > 0) return { leftAsIs: `the environment sets ${own.join(", ")}` };
  return { arenaMax: ARENA_MAX, mmapThresholdBytes: MMAP_THRESHOLD_BYTES };
}

interface Libc {
  mallopt(param: number, value: number): number;
  mallocTrim(pad: number): number;
}

let libc: Libc | undefined;

/**
 * Applies allocatorTuning to this process. Returns what it did, for a log line; never throws:
 * where glibc or koffi is not there (musl, another OS), the allocator stays as it is. Synchronous,
 * and to be called first thing: a thread keeps the arena it first allocated from, and V8's
 * compiler threads start allocating within milliseconds of the process's start.
 */
export function tuneAllocator(env: NodeJS.ProcessEnv = process.env): string {
  const tuning = allocatorTuning(env, platform());
  if ("leftAsIs" in tuning) {
    if (platform() === "linux") {
      try {
        libc = loadLibc();
      } catch {
        // Nothing to trim with, then.
      }
    }
    return `glibc's allocator left as it is: ${tuning.leftAsIs}`;
  }
  try {
    libc = loadLibc();
  } catch (error) {
    return `glibc's allocator left as it is: ${whyNoLibc(error)}`;
  }
  // mallopt answers 1 on success, 0 for a value glibc refuses; each is tried on its own.
  const refused = [
    libc.mallopt(M_ARENA_MAX, tuning.arenaMax) === 1 ? undefined : `M_ARENA_MAX ${tuning.arenaMax}`,
    libc.mallopt(M_MMAP_THRESHOLD, tuning.mmapThresholdBytes) === 1 ? undefined : `M_MMAP_THRESHOLD ${tuning.mmapThresholdBytes}`,
  ].filter((setting) => setting !== undefined);
  if (refused.length > 0) return `glibc's allocator not fully tuned: mallopt refused ${refused.join(" and ")}`;
  return `glibc's allocator tuned: arenas capped at ${tuning.arenaMax}, mmap threshold fixed at ${tuning.mmapThresholdBytes / 1024} KiB`;
}

function whyNoLibc(error: unknown): string {
  if ((error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") {
    return "koffi, the optional dependency it is tuned through, is not installed (install @airlock/host with its optional dependencies to have it)";
  }
  // musl and other C libraries have no libc.so.6.
  return `glibc could not be loaded (${(error as Error).message})`;
}

/**
 * Hands the memory glibc keeps freed back to the system (`malloc_trim`), when there is reason
 * to think there is much of it: after an idle component let its code and images go, and once
 * calls have stopped for a while (quiet-trim.ts). Answers whether it could: not unless
 * tuneAllocator found glibc.
 */
export function giveBackFreedMemory(): boolean {
  if (!libc) return false;
  libc.mallocTrim(0);
  return true;
}

function loadLibc(): Libc {
  // Loaded only here (~10 ms), so that commands other than serve never pay for it.
  const koffi = createRequire(import.meta.url)("koffi") as typeof import("koffi");
  const lib = koffi.load("libc.so.6");
  const mallopt = lib.func("int mallopt(int param, int value)") as (param: number, value: number) => number;
  const mallocTrim = lib.func("int malloc_trim(size_t pad)") as (pad: number) => number;
  return { mallopt, mallocTrim };
}
