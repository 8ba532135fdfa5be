// The event store that lets a client resume an SSE stream: replay after an event id, within
// bounds of count and size.
import type { JSONRPCMessage } from "@modelcontextprotocol/server";
import { describe, expect, it } from "vitest";
import { BoundedEventStore } from "../../src/mcp/event-store.js";

const note = (n: number): JSONRPCMessage => ({ jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: `m${n}` } });

async function replay(store: BoundedEventStore, after: string): Promise<{ stream: string; sent: [string, JSONRPCMessage][] }> {
  const sent: [string, JSONRPCMessage][] = [];
  const stream = await store.replayEventsAfter(after, { send: async (id, message) => void sent.push([id, message]) });
  return { stream, sent };
}

describe("BoundedEventStore", () => {
  it("replays a stream's events after the given one, without priming events or other streams' events", async () => {
    const store = new BoundedEventStore();
    const priming = await store.storeEvent("a", {} as JSONRPCMessage);
    const first = await store.storeEvent("a", note(1));
    await store.storeEvent("b", note(2));
    const third = await store.storeEvent("a", note(3));
    expect(await store.getStreamIdForEventId(first)).toBe("a");
    expect(await replay(store, priming)).toEqual({
      stream: "a",
      sent: [
        [first, note(1)],
        [third, note(3)],
      ],
    });
    expect((await replay(store, first)).sent).toEqual([[third, note(3)]]);
  });

  it("forgets the oldest events past its count or size, and refuses to resume after them", async () => {
    const byCount = new BoundedEventStore(2);
    const gone = await byCount.storeEvent("a", note(1));
    await byCount.storeEvent("a", note(2));
    await byCount.storeEvent("a", note(3));
    expect(await byCount.getStreamIdForEventId(gone)).toBeUndefined();
    await expect(replay(byCount, gone)).rejects.toThrow(`no event ${gone} to resume after`);

    const bySize = new BoundedEventStore(100, JSON.stringify(note(1)).length * 2);
    const old = await bySize.storeEvent("a", note(1));
    await bySize.storeEvent("a", note(2));
    const huge = await bySize.storeEvent("a", { ...note(3), params: { level: "info", data: "x".repeat(1000) } });
    // A message larger than the whole budget is not kept either.
    expect(await bySize.getStreamIdForEventId(old)).toBeUndefined();
    expect(await bySize.getStreamIdForEventId(huge)).toBeUndefined();
  });
});
