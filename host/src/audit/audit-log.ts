// The audit log: every capability decision, one JSON line each, appended to
// $AIRLOCK_HOME/audit.jsonl. All records of one call go out in a single write(2) on a file opened
// for appending, so lines of concurrent calls (or of several processes) never splice. Records
// are bounded (decisions are aggregated and capped per call), and the log is rotated past a size:
// audit.jsonl.1 is the previous file, and so on.
// A call's answer waits for its records, so they are written synchronously on a descriptor kept
// open: one stat and one write per call. Opening, writing and closing through the thread pool
// took five round trips per call (0.5 ms and more on a busy 2-core machine, 4-26 ms measured
// beside another heavy job). The stat notices a file another process rotated, or one removed.
// In a cluster (serve --audit stdout) the records go to standard output instead, one JSON line
// each with the replica's name, for the cluster's log collector.
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, statSync, writeSync, type Stats } from "node:fs";
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import type { Decision } from "../executor/sandbox/decisions.js";

export interface AuditEntry extends Decision {
  time: string;
  component: string;
  tool: string;
  callId: string;
  /** The OpenTelemetry trace of the call, when traces are exported (observability/tracing.ts). */
  traceId?: string;
}

/** Where records go: $AIRLOCK_HOME/audit.jsonl, or standard output (a cluster's log collector). */
export type AuditDestination = "file" | "stdout";

/** A line that is not a whole record (cut by a crash, or edited), skipped when reading. */
export interface DamagedLine {
  file: string;
  line: number;
}

export const AUDIT_ROTATION = { maxBytes: 16 * 1024 * 1024, keep: 3 };

/**
 * Itemized records one component may write per window; past it, each call is summarized in a
 * line per kind and answer, so one component flooding its calls cannot rotate everyone's history
 * out of the log within minutes.
 */
export const AUDIT_BUDGET = { bytes: 2 * 1024 * 1024, windowMs: 10 * 60_000 };

export interface AuditOptions {
  rotation?: typeof AUDIT_ROTATION;
  budget?: typeof AUDIT_BUDGET;
  now?: () => number;
  /** Told of the records of each append once they are written (the host's event path). */
  onWritten?: (entries: AuditEntry[]) => void;
  /** "stdout": each record is written to standard output, with `replica` and `decision`, instead of the file. */
  destination?: AuditDestination;
  /** The name of this replica on stdout records: $AIRLOCK_REPLICA, else the host name. */
  replica?: string;
}

export class AuditLog {
  private queue: Promise<unknown> = Promise.resolve();
  /** The log file, open for appending, and which file it is (to notice a rotation). */
  private open: { fd: number; dev: number; ino: number } | undefined;
  private readonly rotation: typeof AUDIT_ROTATION;
  private readonly budget: typeof AUDIT_BUDGET;
  private readonly now: () => number;
  private readonly onWritten: ((entries: AuditEntry[]) => void) | undefined;
  private readonly spent = new Map<string, { since: number; bytes: number }>();
  private readonly replica: string | undefined;

  constructor(
    readonly file: string,
    options: AuditOptions = {},
  ) {
    this.rotation = options.rotation ?? AUDIT_ROTATION;
    this.budget = options.budget ?? AUDIT_BUDGET;
    this.now = options.now ?? Date.now;
    this.onWritten = options.onWritten;
    this.replica = options.destination === "stdout" ? (options.replica ?? replicaName()) : undefined;
  }

  append(context: { component: string; tool: string; callId: string; traceId?: string }, decisions: Decision[]): Promise<void> {
    if (decisions.length === 0) return Promise.resolve();
    const time = new Date(this.now()).toISOString();
    const tool = context.tool.length > 1024 ? `${context.tool.slice(0, 1024)}...` : context.tool;
    const records = (items: Decision[]) => items.map((d): AuditEntry => ({ time, ...context, tool, ...d }));
    const lines = (entries: AuditEntry[]) => entries.map((e) => `${JSON.stringify(this.replica === undefined ? e : onStdout(e, this.replica))}\n`).join("");
    let entries = records(decisions);
    let text = lines(entries);
    if (!this.withinBudget(context.component, text.length)) text = lines((entries = records(summarized(context.component, decisions, this.budget))));
    const run = this.queue.then(async () => {
      await this.write(Buffer.from(text));
      this.onWritten?.(entries);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private withinBudget(component: string, bytes: number): boolean {
    const now = this.now();
    let spent = this.spent.get(component);
    if (!spent || now - spent.since >= this.budget.windowMs) this.spent.set(component, (spent = { since: now, bytes: 0 }));
    if (spent.bytes + bytes > this.budget.bytes) return false;
    spent.bytes += bytes;
    return true;
  }

  private async write(bytes: Buffer): Promise<void> {
    // serve sends console.log to stderr; stdout is written directly, a whole call's lines at once.
    if (this.replica !== undefined) {
      await new Promise<void>((resolve, reject) => process.stdout.write(bytes, (error) => (error ? reject(error) : resolve())));
      return;
    }
    const fd = this.descriptorFor(bytes.length);
    const written = writeSync(fd, bytes);
    if (written !== bytes.length) {
      // End the cut line, so the next record starts a line of its own.
      try {
        writeSync(fd, "\n");
      } catch {
        // The disk is full: the reader skips the cut line.
      }
      throw new Error(`the audit log ${this.file} took ${written} of ${bytes.length} bytes (disk full?)`);
    }
  }

  /** The open log file, rotated first if `incoming` bytes would take it past its size. */
  private descriptorFor(incoming: number): number {
    let onDisk = statIfPresent(this.file);
    if (onDisk && onDisk.size > 0 && onDisk.size + incoming > this.rotation.maxBytes) {
      this.closeFile();
      for (let n = this.rotation.keep - 1; n >= 1; n--) renameIfPresent(`${this.file}.${n}`, `${this.file}.${n + 1}`);
      renameIfPresent(this.file, `${this.file}.1`);
      onDisk = undefined;
    }
    // Still the file at this path (not rotated away by another process, not removed)?
    if (this.open && onDisk && onDisk.dev === this.open.dev && onDisk.ino === this.open.ino) return this.open.fd;
    this.closeFile();
    mkdirSync(dirname(this.file), { recursive: true });
    const fd = openSync(this.file, "a", 0o600);
    const { dev, ino } = fstatSync(fd);
    this.open = { fd, dev, ino };
    return fd;
  }

  private closeFile(): void {
    if (this.open) closeSync(this.open.fd);
    this.open = undefined;
  }

  /** The records, oldest first (rotated files too); damaged lines are skipped and reported. */
  async read(component?: string): Promise<{ entries: AuditEntry[]; damaged: DamagedLine[] }> {
    const entries: AuditEntry[] = [];
    const damaged: DamagedLine[] = [];
    const files = [...Array.from({ length: this.rotation.keep }, (_, i) => `${this.file}.${this.rotation.keep - i}`), this.file];
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw error;
      }
      text.split("\n").forEach((line, index) => {
        if (!line.trim()) return;
        const entry = parseEntry(line);
        if (!entry) damaged.push({ file, line: index + 1 });
        else if (!component || entry.component === component) entries.push(entry);
      });
    }
    return { entries, damaged };
  }
}

function statIfPresent(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function renameIfPresent(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch {
    // Not there (yet): nothing to rotate.
  }
}

/** $AIRLOCK_REPLICA, else the host name (a pod's name in Kubernetes). */
export function replicaName(env: NodeJS.ProcessEnv = process.env): string {
  return env.AIRLOCK_REPLICA || hostname();
}

/** A record as a log collector reads it: who wrote it, and the answer as a word to filter on. */
function onStdout(entry: AuditEntry, replica: string) {
  const { time, ...rest } = entry;
  return { time, replica, decision: entry.allowed ? "allowed" : "denied", ...rest };
}

/** A call's decisions as one line per kind and answer, with their total count. */
function summarized(component: string, decisions: Decision[], budget: typeof AUDIT_BUDGET): Decision[] {
  const groups = new Map<string, Decision>();
  for (const d of decisions) {
    const key = `${d.kind} ${d.allowed}`;
    const group = groups.get(key);
    if (group) group.count! += d.count ?? 1;
    else {
      groups.set(key, {
        kind: d.kind,
        target: "(not itemized)",
        mode: "*",
        allowed: d.allowed,
        reason: `${component} wrote over ${budget.bytes / 1024 / 1024} MiB of audit records in ${budget.windowMs / 60_000} min; until the window ends its calls are counted, not itemized`,
        count: d.count ?? 1,
      });
    }
  }
  return [...groups.values()];
}

function parseEntry(line: string): AuditEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const e = value as Record<string, unknown>;
  const strings = ["time", "component", "tool", "callId", "kind", "target", "mode"];
  if (typeof e !== "object" || e === null || strings.some((k) => typeof e[k] !== "string") || typeof e.allowed !== "boolean") return undefined;
  if (e.reason !== undefined && typeof e.reason !== "string") return undefined;
  if (e.count !== undefined && typeof e.count !== "number") return undefined;
  return e as unknown as AuditEntry;
}

/** One line per decision, for people. */
export function formatDecision(d: Decision): string {
  const verb = d.allowed ? "allowed" : "DENIED";
  const times = d.count && d.count > 1 ? ` (${d.count} times)` : "";
  return `${verb} ${d.kind} ${d.mode} ${d.target}${times}${d.reason ? ` (${d.reason})` : ""}`;
}
