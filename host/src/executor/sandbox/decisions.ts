// Capability decisions made while a call runs: what the guest asked for, and the answer.

export interface Decision {
  kind: "file" | "network" | "environment";
  /** A host path, a URL authority, or environment variable names. */
  target: string;
  /** `read`/`write` for files, the HTTP method for network, `read` for the environment. */
  mode: string;
  allowed: boolean;
  /** Why it was denied, in words a user can act on. */
  reason?: string;
  /** The grant that would allow it, when one would. */
  grant?: { kind: "storage"; path: string; access: ("read" | "write")[] } | { kind: "network"; host: string };
}

/** Collects the decisions of the call in progress; the worker drains it with each result. */
export class DecisionRecorder {
  private decisions: Decision[] = [];

  record(decision: Decision): void {
    // A guest could flood the log with allowed accesses; denials are always kept.
    if (this.decisions.length < 1000 || !decision.allowed) this.decisions.push(decision);
  }

  drain(): Decision[] {
    const out = this.decisions;
    this.decisions = [];
    return out;
  }
}
