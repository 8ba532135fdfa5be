// The rate limiter's decision on its own clock: a burst, then one call per refill, per client.
import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../src/executor/rate-limiter.js";

describe("rate limiter", () => {
  it("allows a burst, then one call per refill, and says how long to wait", () => {
    let now = 0;
    const limiter = new RateLimiter({ callsPerSecond: 2, burst: 3 }, () => now);
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a")]).toEqual([undefined, undefined, undefined]);
    expect(limiter.take("a")).toBeCloseTo(0.5);
    now = 250;
    expect(limiter.take("a")).toBeCloseTo(0.25);
    now = 500;
    expect(limiter.take("a")).toBeUndefined();
    expect(limiter.take("a")).toBeCloseTo(0.5);
  });

  it("keeps one bucket per client", () => {
    const limiter = new RateLimiter({ callsPerSecond: 1, burst: 1 }, () => 0);
    expect(limiter.take("a")).toBeUndefined();
    expect(limiter.take("a")).toBeCloseTo(1);
    expect(limiter.take("b")).toBeUndefined();
  });

  it("never stores more than the burst, however long a client was idle", () => {
    let now = 0;
    const limiter = new RateLimiter({ callsPerSecond: 10, burst: 2 }, () => now);
    now = 3_600_000;
    expect([limiter.take("a"), limiter.take("a")]).toEqual([undefined, undefined]);
    expect(limiter.take("a")).toBeCloseTo(0.1);
  });
});
