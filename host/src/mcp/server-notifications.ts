// What one connected protocol server (a stdio connection, a 2025-era HTTP session) sends for the
// host's events: notifications/tools/list_changed when components change, and guest output as
// notifications/message. On a 2026-07-28 connection the SDK reroutes the list change onto the
// client's open subscriptions/listen streams; guest output belongs to no request there, and that
// era has logs only inside a request, so it is not sent.
import type { LoggingLevel, Server } from "@modelcontextprotocol/server";
import type { HostEvents } from "./host-events.js";
import { servesModernEra } from "./protocol-versions.js";

/** Subscribes `server` to `events` until it closes; returns the unsubscribe function. */
export function notifyServer(events: HostEvents, server: Server): () => void {
  const unsubscribe = events.subscribe((event) => {
    if (event.kind === "components-changed") void server.sendToolListChanged().catch(() => undefined);
    else if (event.kind === "guest-output" && !servesModernEra(server)) {
      // Guest stdout/stderr, never on the protocol stream itself. The session id picks the level
      // that session set (the SDK keeps one per HTTP session, and one for stdio under none).
      const level: LoggingLevel = event.stream === "stderr" ? "warning" : "info";
      void server.sendLoggingMessage({ level, logger: event.componentId, data: event.line }, server.transport?.sessionId).catch(() => undefined);
    }
  });
  const previous = server.onclose;
  server.onclose = () => {
    unsubscribe();
    previous?.();
  };
  return unsubscribe;
}
