// When a returned instance is reset for the next call. Calls back to back: at once, so the reset
// (a memory copy of the component's image: ~1 ms for a 12 MiB memory, ~4 for the grammar
// checker's 37) overlaps the answer's way to the client and the next request's way back. Calls
// paced apart: a few milliseconds later, once the host's thread has passed the answer on; on two
// cores the copy would otherwise take the core the host's thread (or the client) was to run on
// next, and the answer would wait for it. A call that arrives first has the reset done before it.
/** A gap between an answer and the next call longer than this counts as paced. */
const PACED_GAP_MS = 20;
/** How long a paced reset waits: the host's thread writes an answer in well under this. */
const PACED_DELAY_MS = 3;

export class ResetTiming {
  private answeredAt = Number.NEGATIVE_INFINITY;
  private lastGapMs = Number.POSITIVE_INFINITY;

  /** A call's answer left the worker at `now` (performance.now()). */
  answered(now: number): void {
    this.answeredAt = now;
  }

  /** A call arrived at `now`. */
  arrived(now: number): void {
    this.lastGapMs = now - this.answeredAt;
  }

  /** How long to wait before resetting the instance the last call returned from: 0 for at once. */
  delayMs(): number {
    return this.lastGapMs > PACED_GAP_MS ? PACED_DELAY_MS : 0;
  }
}

/**
 * A reset that may wait (ResetTiming) but never past the next call: `flush` runs a waiting reset
 * at once, so a call that arrives before the timer finds the instance as new all the same.
 */
export class DeferredReset<T> {
  private waiting: { target: T; timer: NodeJS.Timeout } | undefined;

  constructor(private readonly reset: (target: T) => void) {}

  /** Resets `target` after `delayMs`, or at once for 0. */
  schedule(target: T, delayMs: number): void {
    this.flush();
    if (delayMs === 0) {
      this.reset(target);
      return;
    }
    const timer = setTimeout(() => this.flush(), delayMs);
    // The port keeps a worker alive; once it closes (the pool stops the worker), a reset still
    // waiting is no reason to stay.
    timer.unref();
    this.waiting = { target, timer };
  }

  /** Runs the waiting reset now, if there is one: first thing for every call. */
  flush(): void {
    if (!this.waiting) return;
    const { target, timer } = this.waiting;
    clearTimeout(timer);
    this.waiting = undefined;
    this.reset(target);
  }
}
