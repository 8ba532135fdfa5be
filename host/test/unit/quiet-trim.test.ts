// The trim's timing, without waiting: a trim comes once calls have stopped for the quiet period,
// never while one runs, once per quiet spell, and one timer serves a whole burst of calls.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { QuietTrim } from "../../src/quiet-trim.js";

let clock = 0;
let trims = 0;
let trimmer: QuietTrim;

beforeEach(() => {
  vi.useFakeTimers();
  clock = 0;
  trims = 0;
  trimmer = new QuietTrim(
    () => trims++,
    1000,
    () => clock,
  );
});
afterEach(() => {
  trimmer.close();
  vi.useRealTimers();
});

/** Moves both the timers and the trimmer's clock on by `ms`. */
function pass(ms: number): void {
  clock += ms;
  vi.advanceTimersByTime(ms);
}

describe("QuietTrim", () => {
  it("trims once a second after the last call ends, and not again while nothing runs", () => {
    trimmer.started();
    pass(5);
    trimmer.ended();
    pass(999);
    expect(trims).toBe(0);
    pass(1);
    expect(trims).toBe(1);
    pass(60_000);
    expect(trims).toBe(1);
  });

  it("never trims while a call runs, however long it runs", () => {
    trimmer.started();
    trimmer.ended();
    trimmer.started();
    pass(30_000);
    expect(trims).toBe(0);
    trimmer.ended();
    pass(1000);
    expect(trims).toBe(1);
  });

  it("waits for a burst of calls to end, with one timer for the whole burst", () => {
    for (let i = 0; i < 50; i++) {
      trimmer.started();
      pass(10);
      trimmer.ended();
      pass(90);
      expect(vi.getTimerCount()).toBe(1);
    }
    expect(trims).toBe(0);
    pass(910);
    expect(trims).toBe(1);
  });

  it("trims after background work as after a call, and nothing before anything ran", () => {
    pass(10_000);
    expect(vi.getTimerCount()).toBe(0);
    trimmer.worked();
    pass(1000);
    expect(trims).toBe(1);
  });
});
