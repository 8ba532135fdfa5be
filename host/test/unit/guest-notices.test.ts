// A guest's log messages and progress reports, bounded per call (the worker's side), and the
// host's outbox that drops what a slow client cannot take.
import { describe, expect, it } from "vitest";
import { GuestNotices } from "../../src/executor/guest-notices.js";
import { NotificationOutbox } from "../../src/mcp/notification-outbox.js";

const limits = { maxMessage: 10, maxMessages: 3, maxBytes: 100, maxProgress: 4, progressEveryMs: 0 };

function record() {
  const logs: string[] = [];
  const progress: [number, number | undefined][] = [];
  const notices = new GuestNotices(
    (_level, message) => logs.push(message),
    (done, total) => progress.push([done, total]),
    limits,
  );
  return { logs, progress, notices };
}

describe("GuestNotices", () => {
  it("cuts long messages and drops past the count, with one notice", () => {
    const { logs, notices } = record();
    for (let i = 0; i < 10; i++) notices.log("info", `message ${i}`);
    expect(logs).toHaveLength(4);
    expect(logs.at(-1)).toContain("further log messages of this call dropped");
    notices.reset();
    notices.log("info", "y".repeat(10));
    for (let i = 0; i < 20; i++) notices.log("info", "z".repeat(10));
    // A new call has a new budget, and again one notice when it runs out.
    expect(logs.filter((l) => l.includes("dropped"))).toHaveLength(2);
    notices.reset();
    notices.log("info", "x".repeat(50));
    expect(logs.at(-1)).toBe(`${"x".repeat(10)} [... 40 more characters cut]`);
  });

  it("drops NaN, Infinity, repeated and decreasing progress, and stops at the cap", () => {
    const { progress, notices } = record();
    notices.progress(Number.NaN, 10);
    notices.progress(Number.POSITIVE_INFINITY);
    notices.progress(1, Number.NaN);
    notices.progress(1, 10);
    notices.progress(1, 10);
    notices.progress(0.5, 10);
    for (let i = 2; i <= 10; i++) notices.progress(i, 10);
    expect(progress).toEqual([
      [1, 10],
      [2, 10],
      [3, 10],
      [4, 10],
    ]);
  });
  it("a report the throttle held back goes out as the call ends", () => {
    const progress: [number, number | undefined][] = [];
    const notices = new GuestNotices(
      () => undefined,
      (done, total) => progress.push([done, total]),
      { ...limits, progressEveryMs: 60_000 },
    );
    for (let i = 1; i <= 3; i++) notices.progress(i);
    expect(progress).toEqual([[1, undefined]]);
    notices.end();
    expect(progress).toEqual([
      [1, undefined],
      [3, undefined],
    ]);
  });
});

describe("NotificationOutbox", () => {
  it("drops what a slow client has not taken yet and says how many as the call ends", async () => {
    const written: string[] = [];
    const pending: (() => void)[] = [];
    const outbox = new NotificationOutbox(
      (n) => {
        written.push(String(n.params.data));
        return new Promise<void>((resolve) => pending.push(resolve));
      },
      "guest",
      2,
    );
    const sends = [1, 2, 3, 4, 5].map((i) => outbox.send({ method: "notifications/message", params: { data: `m${i}` } }));
    expect(written).toEqual(["m1", "m2"]);
    for (const resolve of pending.splice(0)) resolve();
    await Promise.all(sends);
    expect(outbox.send({ method: "notifications/message", params: { data: "m6" } })).toBeInstanceOf(Promise);
    expect(written).toEqual(["m1", "m2", "m6"]);
    const finished = outbox.finish();
    for (const resolve of pending.splice(0)) resolve();
    await finished;
    expect(written.at(-1)).toBe("[3 notifications of this call dropped: the client was not reading them fast enough]");
  });
});
