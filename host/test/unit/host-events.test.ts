// The host's one event source: every subscriber hears every event, one that unsubscribes or
// throws while an event is delivered does not keep it from the others, and the audit log
// reports what it wrote.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AuditLog, type AuditEntry } from "../../src/audit/audit-log.js";
import { HostEvents, type HostEvent } from "../../src/mcp/host-events.js";

describe("HostEvents", () => {
  it("delivers each event to every subscriber, past one that throws or unsubscribes itself", () => {
    const errors: string[] = [];
    const events = new HostEvents((error) => errors.push(error.message));
    const first: HostEvent[] = [];
    const last: HostEvent[] = [];
    const unsubscribe = events.subscribe((event) => {
      first.push(event);
      unsubscribe();
    });
    events.subscribe(() => {
      throw new Error("a broken session");
    });
    events.subscribe((event) => last.push(event));
    events.componentsChanged({ loaded: ["a"] });
    events.publish({ kind: "guest-output", componentId: "a", stream: "stdout", line: "hi" });
    expect(first).toEqual([{ kind: "components-changed", loaded: ["a"], unloaded: [] }]);
    expect(last.map((e) => e.kind)).toEqual(["components-changed", "guest-output"]);
    expect(errors).toEqual(["a broken session", "a broken session"]);
  });

  it("publishes no change when nothing was loaded or unloaded", () => {
    const events = new HostEvents();
    const heard: HostEvent[] = [];
    events.subscribe((event) => heard.push(event));
    events.componentsChanged({});
    expect(heard).toEqual([]);
  });

  it("hears the audit records a call wrote", async () => {
    const dir = await mkdtemp(join(tmpdir(), "airlock-events-"));
    try {
      const written: AuditEntry[][] = [];
      const log = new AuditLog(join(dir, "audit.jsonl"), { onWritten: (entries) => written.push(entries) });
      await log.append({ component: "c", tool: "t", callId: "1" }, [{ kind: "network", target: "example.com", mode: "GET", allowed: false }]);
      expect(written).toHaveLength(1);
      expect(written[0]).toEqual((await log.read()).entries);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
