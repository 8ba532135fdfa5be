// When a returned instance is reset: at once for calls back to back, a little later for paced ones.
import { describe, expect, it } from "vitest";
import { ResetTiming } from "../../src/executor/reset/reset-timing.js";

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
