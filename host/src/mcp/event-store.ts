// The events of one 2025-era HTTP session, kept so that a client whose SSE stream ended (the host
// closed a long call's stream, or the network dropped it) can reconnect with Last-Event-ID and get
// what it missed (SEP-1699). Memory stays bounded: only the newest events are kept, by count and
// by size, and a client asking to resume after a forgotten event is refused (400) by the SDK.
import type { EventId, EventStore, JSONRPCMessage, StreamId } from "@modelcontextprotocol/server";

export const MAX_EVENTS = 1000;
export const MAX_EVENT_BYTES = 4 * 1024 * 1024;

interface StoredEvent {
  streamId: StreamId;
  message: JSONRPCMessage;
  size: number;
}

export class BoundedEventStore implements EventStore {
  private readonly events = new Map<EventId, StoredEvent>();
  private bytes = 0;
  private sequence = 0;

  constructor(
    private readonly maxEvents = MAX_EVENTS,
    private readonly maxBytes = MAX_EVENT_BYTES,
  ) {}

  async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    const eventId = String(++this.sequence);
    const size = JSON.stringify(message).length;
    this.events.set(eventId, { streamId, message, size });
    this.bytes += size;
    // Oldest first (a Map iterates in insertion order). A message larger than the whole budget
    // goes too: it was still sent on a live stream, it just cannot be replayed.
    for (const [id, event] of this.events) {
      if (this.events.size <= this.maxEvents && this.bytes <= this.maxBytes) break;
      this.events.delete(id);
      this.bytes -= event.size;
    }
    return eventId;
  }

  async getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    return this.events.get(eventId)?.streamId;
  }

  async replayEventsAfter(lastEventId: EventId, { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> }): Promise<StreamId> {
    const last = this.events.get(lastEventId);
    if (!last) throw new Error(`no event ${lastEventId} to resume after`);
    let after = false;
    for (const [id, event] of this.events) {
      if (id === lastEventId) after = true;
      // A priming event (an empty message) only marks where a stream began: nothing to replay.
      else if (after && event.streamId === last.streamId && Object.keys(event.message).length > 0) await send(id, event.message);
    }
    return last.streamId;
  }
}
