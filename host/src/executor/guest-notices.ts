// In the worker: a guest's log messages and progress reports, bounded per call as its stdout is.
// A message longer than `maxMessage` is cut; past `maxMessages` or `maxBytes` the rest is dropped
// with one notice. Progress must be finite and increasing, and is passed on at most every
// `progressEveryMs` (the report that completes the work always passes).
import type { LogLevel } from "./protocol.js";

export const NOTICE_LIMITS = { maxMessage: 8 * 1024, maxMessages: 1000, maxBytes: 256 * 1024, maxProgress: 1000, progressEveryMs: 5 };

type Log = (level: LogLevel, message: string) => void;
type Progress = (done: number, total?: number, message?: string) => void;

export class GuestNotices {
  private messages = 0;
  private bytes = 0;
  private logDropped = 0;
  private progressSent = 0;
  private lastProgress = -Infinity;
  private lastProgressAt = 0;
  /** The latest report the throttle held back: sent as the call ends, so the last word arrives. */
  private held: [number, number | undefined, string | undefined] | undefined;

  constructor(
    private readonly sendLog: Log,
    private readonly sendProgress: Progress,
    private readonly limits = NOTICE_LIMITS,
  ) {}

  /** A new call: a fresh budget. */
  reset(): void {
    this.messages = this.bytes = this.logDropped = this.progressSent = 0;
    this.lastProgress = -Infinity;
    this.lastProgressAt = 0;
    this.held = undefined;
  }

  /** The call ends: a report the throttle held back goes out now. */
  end(): void {
    if (this.held && this.held[0] > this.lastProgress && this.progressSent < this.limits.maxProgress) this.pass(...this.held);
    this.held = undefined;
  }

  log(level: LogLevel, message: string): void {
    const text = String(message);
    const cut = text.length > this.limits.maxMessage ? `${text.slice(0, this.limits.maxMessage)} [... ${text.length - this.limits.maxMessage} more characters cut]` : text;
    if (this.logDropped > 0 || this.messages + 1 > this.limits.maxMessages || this.bytes + cut.length > this.limits.maxBytes) {
      if (this.logDropped++ === 0) {
        this.sendLog("warning", `[further log messages of this call dropped: a call may send at most ${this.limits.maxMessages} messages or ${this.limits.maxBytes} bytes]`);
      }
      return;
    }
    this.messages++;
    this.bytes += cut.length;
    this.sendLog(level, cut);
  }

  progress(done: number, total?: number, message?: string): void {
    // MCP progress is a number that increases; NaN or Infinity would become null on the wire.
    if (!Number.isFinite(done) || (total !== undefined && !Number.isFinite(total)) || done <= this.lastProgress) return;
    const completes = total !== undefined && done >= total;
    const now = Date.now();
    if (this.progressSent >= this.limits.maxProgress || (!completes && now - this.lastProgressAt < this.limits.progressEveryMs)) {
      this.held = [done, total, message];
      return;
    }
    this.pass(done, total, message);
  }

  private pass(done: number, total?: number, message?: string): void {
    this.progressSent++;
    this.lastProgress = done;
    this.lastProgressAt = Date.now();
    this.held = undefined;
    this.sendProgress(done, total, message === undefined ? undefined : message.slice(0, 1024));
  }
}
