// glibc keeps what it frees for reuse (glibc-allocator.ts). Compiling components, their first
// instances and V8's tier-up compiles leave tens of MiB freed but resident in a host that then
// goes on serving calls from there: ~33 MiB with the three sample tools and type-zoo after the
// benchmark's calls. Once no call has run for a second, the host hands that back (malloc_trim):
// once per quiet spell and never while a call runs, so the trim's few milliseconds delay no call.

/** How long no call must have run before freed memory is handed back. */
export const QUIET_TRIM_MS = 1000;

export class QuietTrim {
  private running = 0;
  private lastActivity = Number.NEGATIVE_INFINITY;
  /** Whether anything ran since the last trim (an idle host is not trimmed again and again). */
  private owed = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly trim: () => void,
    private readonly quietMs: number = QUIET_TRIM_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A call started. */
  started(): void {
    this.running++;
    this.lastActivity = this.now();
    this.owed = true;
  }

  /** A call ended: a trim follows once the host has stayed quiet for quietMs. */
  ended(): void {
    this.running--;
    this.lastActivity = this.now();
    this.arm(this.quietMs);
  }

  /** Work besides calls that frees memory (a component prepared in the background). */
  worked(): void {
    this.lastActivity = this.now();
    this.owed = true;
    this.arm(this.quietMs);
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One timer per quiet spell, not one per call: it looks again when it fires early. */
  private arm(delayMs: number): void {
    if (this.timer || !this.owed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A call still running arms it again as it ends.
      if (this.running > 0) return;
      const quietFor = this.now() - this.lastActivity;
      if (quietFor < this.quietMs) return this.arm(this.quietMs - quietFor);
      this.owed = false;
      this.trim();
    }, delayMs);
    // Trimming is no reason for a process to stay alive.
    this.timer.unref();
  }
}
