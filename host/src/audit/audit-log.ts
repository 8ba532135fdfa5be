// The audit log: every capability decision, one JSON line each, appended to
// $AIRLOCK_HOME/audit.jsonl. Appends of one call are a single write.
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Decision } from "../executor/sandbox/decisions.js";

export interface AuditEntry extends Decision {
  time: string;
  component: string;
  tool: string;
  callId: string;
}

export class AuditLog {
  constructor(readonly file: string) {}

  async append(context: { component: string; tool: string; callId: string }, decisions: Decision[]): Promise<void> {
    if (decisions.length === 0) return;
    const time = new Date().toISOString();
    const lines = decisions.map((d) => JSON.stringify({ time, ...context, ...d } satisfies AuditEntry)).join("\n");
    await mkdir(dirname(this.file), { recursive: true });
    await appendFile(this.file, `${lines}\n`);
  }

  async read(component?: string): Promise<AuditEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const entries: AuditEntry[] = [];
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      try {
        const entry = JSON.parse(line) as AuditEntry;
        if (!component || entry.component === component) entries.push(entry);
      } catch {
        // A line cut by a crash mid-write: skip it, keep the rest.
      }
    }
    return entries;
  }
}

/** One line per decision, for people. */
export function formatDecision(d: Decision): string {
  const verb = d.allowed ? "allowed" : "DENIED";
  return `${verb} ${d.kind} ${d.mode} ${d.target}${d.reason ? ` (${d.reason})` : ""}`;
}
