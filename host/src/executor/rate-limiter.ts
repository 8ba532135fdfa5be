// Calls per client: a token bucket each, refilled at `callsPerSecond` up to `burst`. Pure
// bookkeeping (the clock is passed in), so the decision can be tested apart from any server.
// Buckets of clients not seen for a minute are dropped.

export interface RateLimit {
  callsPerSecond: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one call for `client`: undefined if allowed, else the seconds until one is. */
  take(client: string): number | undefined {
    const now = this.now();
    this.forgetIdle(now);
    const bucket = this.buckets.get(client) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.callsPerSecond);
    bucket.at = now;
    this.buckets.set(client, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return (1 - bucket.tokens) / this.limit.callsPerSecond;
  }

  private forgetIdle(now: number): void {
    if (this.buckets.size < 1024) return;
    for (const [client, bucket] of this.buckets) if (now - bucket.at > 60_000) this.buckets.delete(client);
  }
}
