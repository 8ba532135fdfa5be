// One source for what happens in a running host that clients may need to hear about: its
// components changed (loaded or unloaded here by a built-in tool, or by another process through
// the store), a guest wrote a line, an audit record was written, a tool call ended. Every transport and session
// subscribes here, so no path can notify only the session or transport it happened on.
import type { AuditEntry } from "../audit/audit-log.js";
import type { CallRecord } from "../component-host.js";
import type { GuestOutput } from "../executor/component-worker.js";

export type HostEvent =
  /** The tools (and what components offer) changed; `loaded` includes components reloaded with new bytes. */
  | { kind: "components-changed"; loaded: string[]; unloaded: string[] }
  | ({ kind: "guest-output" } & GuestOutput)
  | { kind: "audit"; entries: AuditEntry[] }
  /** One per tool call, once it ended, whatever its outcome (with or without capability decisions). */
  | ({ kind: "call" } & CallRecord);

export type HostEventListener = (event: HostEvent) => void;

export class HostEvents {
  private readonly listeners = new Set<HostEventListener>();

  constructor(private readonly onListenerError: (error: Error) => void = () => undefined) {}

  /** Returns the unsubscribe function (idempotent). */
  subscribe(listener: HostEventListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  publish(event: HostEvent): void {
    // A copy: a listener may unsubscribe (a session closing) while the event is delivered.
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error as Error);
      }
    }
  }

  componentsChanged(changes: { loaded?: string[]; unloaded?: string[] }): void {
    const loaded = changes.loaded ?? [];
    const unloaded = changes.unloaded ?? [];
    if (loaded.length > 0 || unloaded.length > 0) this.publish({ kind: "components-changed", loaded, unloaded });
  }
}
