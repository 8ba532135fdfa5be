// When a returned instance is reset: at once for calls back to back, a little later for paced
// ones, and always before the next call.
import { describe, expect, it, vi } from "vitest";
import { DeferredReset, ResetTiming } from "../../src/executor/reset/reset-timing.js";

describe("ResetTiming", () => {
  it("waits a few milliseconds before the first reset, and after any call that came long after the answer before it", () => {
    const timing = new ResetTiming();
    timing.arrived(1000);
    expect(timing.delayMs()).toBe(3);
    timing.answered(1002);
    timing.arrived(1102);
    expect(timing.delayMs()).toBe(3);
  });

  it("resets at once while calls come back to back, and waits again once they are paced", () => {
    const timing = new ResetTiming();
    timing.answered(1000);
    timing.arrived(1001.5);
    expect(timing.delayMs()).toBe(0);
    timing.answered(1003);
    timing.arrived(1023);
    expect(timing.delayMs()).toBe(0);
    timing.answered(1025);
    timing.arrived(1125);
    expect(timing.delayMs()).toBe(3);
  });
});

describe("DeferredReset", () => {
  it("resets at once for no delay", () => {
    const resets: string[] = [];
    new DeferredReset<string>((target) => resets.push(target)).schedule("a", 0);
    expect(resets).toEqual(["a"]);
  });

  it("runs a waiting reset before the next call when that call comes first, and only once", () => {
    vi.useFakeTimers();
    try {
      const resets: string[] = [];
      const deferred = new DeferredReset<string>((target) => resets.push(target));
      deferred.schedule("a", 3);
      vi.advanceTimersByTime(1);
      expect(resets).toEqual([]);
      // The next call arrives before the timer: its instance is reset first.
      deferred.flush();
      expect(resets).toEqual(["a"]);
      vi.advanceTimersByTime(10);
      deferred.flush();
      expect(resets).toEqual(["a"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("resets after the delay when no call comes, and a second schedule never drops the first", () => {
    vi.useFakeTimers();
    try {
      const resets: string[] = [];
      const deferred = new DeferredReset<string>((target) => resets.push(target));
      deferred.schedule("a", 3);
      vi.advanceTimersByTime(3);
      expect(resets).toEqual(["a"]);
      deferred.schedule("b", 3);
      deferred.schedule("c", 3);
      expect(resets).toEqual(["a", "b"]);
      vi.advanceTimersByTime(3);
      expect(resets).toEqual(["a", "b", "c"]);
    } finally {
      vi.useRealTimers();
    }
  });
});
