// Decisions other processes write to the same store's audit log (an `airlock serve` over stdio, an
// `airlock call`), for the console's live feed: this server's own calls reach it through
// HostEvents, these only through the file. New lines are read while someone listens, and held one
// round so that a record this process wrote (announced by HostEvents just after the write) is
// recognised by its callId and not shown twice.
import { open, stat } from "node:fs/promises";
import type { AuditEntry } from "../audit/audit-log.js";

/** How often the log is checked while a console listens. */
const POLL_MS = 400;
/** Call ids of this process's own records remembered for recognising them. */
const OWN_LIMIT = 10_000;
/** The most read from the log in one round (a flood is cut, not replayed whole). */
const MAX_READ = 4 * 1024 * 1024;

export class AuditTail {
  private readonly listeners = new Set<(entries: AuditEntry[]) => void>();
  private readonly own = new Set<string>();
  private offset: number | undefined;
  private partial = "";
  private held: AuditEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly file: string) {}

  /** A record this process wrote (from HostEvents): never replayed from the file. */
  ownRecord(callId: string): void {
    this.own.add(callId);
    if (this.own.size > OWN_LIMIT) this.own.delete(this.own.values().next().value!);
  }

  subscribe(listener: (entries: AuditEntry[]) => void): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      this.timer = setInterval(() => void this.poll(), POLL_MS);
      this.timer.unref();
      void this.poll();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
        this.offset = undefined;
        this.held = [];
      }
    };
  }

  private async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const others = this.held.filter((e) => !this.own.has(e.callId));
      this.held = await this.readNew();
      if (others.length > 0) for (const listener of this.listeners) listener(others);
    } finally {
      this.busy = false;
    }
  }

  private async readNew(): Promise<AuditEntry[]> {
    const size = await stat(this.file).then(
      (s) => s.size,
      () => 0,
    );
    // The first round starts at the end: older records are the history, paged separately.
    if (this.offset === undefined || size < this.offset) {
      const first = this.offset === undefined;
      this.offset = first ? size : 0;
      this.partial = "";
      if (first) return [];
    }
    if (size === this.offset) return [];
    const length = Math.min(size - this.offset, MAX_READ);
    const buffer = Buffer.alloc(length);
    const handle = await open(this.file, "r");
    try {
      await handle.read(buffer, 0, length, this.offset);
    } finally {
      await handle.close();
    }
    this.offset = size > this.offset + length ? size : this.offset + length;
    const lines = (this.partial + buffer.toString("utf8")).split("\n");
    this.partial = lines.pop() ?? "";
    return lines.flatMap((line) => {
      try {
        const entry = JSON.parse(line) as AuditEntry;
        return typeof entry?.callId === "string" && typeof entry.component === "string" ? [entry] : [];
      } catch {
        return [];
      }
    });
  }
}
