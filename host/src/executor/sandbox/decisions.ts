// Capability decisions made while a call runs: what the guest asked for, and the answer. They are
// aggregated (a decision repeated 200,000 times is one entry with a count), capped per call, and
// streamed to the host as they happen, so a call stopped at its time limit is still audited.

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
  /** How many times the call made this decision, when more than once. */
  count?: number;
}

/** Entries of a call's decisions that changed, by their index in the call's list. */
export type DecisionUpdate = { index: number; decision: Decision }[];

export const DECISION_LIMITS = {
  /** Distinct decisions kept per call; later new ones are counted under "(other targets)". */
  distinct: 100,
  /** Longest target or reason kept. */
  text: 1024,
  /** Repeats of known decisions are sent on at most this often (new ones at once). */
  flushMs: 100,
};

/** Slots of the counters a worker shares with the host: one per distinct decision. */
export const COUNTER_SLOTS = DECISION_LIMITS.distinct + 6;

/**
 * The decisions of the call in progress, in the worker. Outside a call, nothing is recorded. New
 * decisions are published at once; repeats are counted in `counters`, memory shared with the
 * host, which reads them even when the worker is stopped in a loop that never publishes again.
 */
export class DecisionRecorder {
  private entries: Decision[] = [];
  private readonly index = new Map<string, number>();
  private readonly dirty = new Set<number>();
  private lastFlush = 0;
  private active = false;

  constructor(
    private readonly publish: (update: DecisionUpdate) => void,
    private readonly counters: Int32Array<ArrayBufferLike> = new Int32Array(COUNTER_SLOTS),
  ) {}

  /** A call starts: its decisions start empty. */
  begin(): void {
    this.entries = [];
    this.index.clear();
    this.dirty.clear();
    this.counters.fill(0);
    this.active = true;
  }

  /** The call ends: everything not yet sent is sent. */
  end(): void {
    this.flush();
    this.active = false;
  }

  record(raw: Decision): void {
    if (!this.active) return;
    let decision = bounded(raw);
    let key = keyOf(decision);
    let at = this.index.get(key);
    if (at === undefined && this.entries.length >= DECISION_LIMITS.distinct) {
      decision = {
        kind: decision.kind,
        target: "(other targets)",
        mode: "*",
        allowed: decision.allowed,
        reason: `more than ${DECISION_LIMITS.distinct} distinct decisions in one call; the rest are counted here`,
      };
      key = keyOf(decision);
      at = this.index.get(key);
    }
    const isNew = at === undefined;
    if (at === undefined) {
      at = this.entries.push(decision) - 1;
      this.index.set(key, at);
    } else {
      const entry = this.entries[at]!;
      entry.count = (entry.count ?? 1) + 1;
    }
    Atomics.add(this.counters, at, 1);
    this.dirty.add(at);
    if (isNew || Date.now() - this.lastFlush >= DECISION_LIMITS.flushMs) this.flush();
  }

  private flush(): void {
    this.lastFlush = Date.now();
    if (this.dirty.size === 0) return;
    this.publish([...this.dirty].map((index) => ({ index, decision: { ...this.entries[index]! } })));
    this.dirty.clear();
  }
}

function keyOf(d: Decision): string {
  return JSON.stringify([d.kind, d.target, d.mode, d.allowed, d.reason ?? ""]);
}

function bounded(d: Decision): Decision {
  const cut = (text: string) => (text.length > DECISION_LIMITS.text ? `${text.slice(0, DECISION_LIMITS.text)}... (${text.length} characters)` : text);
  const { grant, ...rest } = d;
  // A suggestion that would have to be cut is no suggestion: leave it out.
  const keepGrant = grant !== undefined && (grant.kind === "storage" ? grant.path : grant.host).length <= DECISION_LIMITS.text;
  return { ...rest, target: cut(d.target), ...(d.reason === undefined ? {} : { reason: cut(d.reason) }), ...(keepGrant ? { grant } : {}) };
}

/** The host's copy of one call's decisions, kept up to date from the worker's updates. */
export class DecisionLog {
  private readonly entries: Decision[] = [];

  apply(update: DecisionUpdate): void {
    for (const { index, decision } of update) if (index >= 0 && index < COUNTER_SLOTS) this.entries[index] = decision;
  }

  /** The decisions, with the counts of the worker's shared counters where they are ahead. */
  list(counters?: Int32Array): Decision[] {
    return this.entries.flatMap((decision, index) => {
      if (decision === undefined) return [];
      const count = Math.max(decision.count ?? 1, counters ? Atomics.load(counters, index) : 0);
      return [count > 1 ? { ...decision, count } : decision];
    });
  }
}
