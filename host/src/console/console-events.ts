// The live feed of the console: server-sent events from the host's one event path
// (host-events.ts), so the page hears every call, every capability decision and every change of
// the components as it happens, whichever transport the call came through.
import type { Request, Response } from "express";
import type { HostEvent, HostEvents } from "../mcp/host-events.js";
import type { AuditTail } from "./audit-tail.js";

/** A comment line this often keeps proxies and the browser from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

export function consoleEvents(events: HostEvents, tail: AuditTail) {
  return (req: Request, res: Response): void => {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    res.write(": airlock console events\n\n");
    const send = (name: string, data: unknown) => res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    const unsubscribe = events.subscribe((event: HostEvent) => {
      if (event.kind === "call") send("call", event);
      else if (event.kind === "audit") {
        for (const entry of event.entries) tail.ownRecord(entry.callId);
        send("audit", { entries: event.entries });
      } else if (event.kind === "components-changed") send("components-changed", { loaded: event.loaded, unloaded: event.unloaded });
    });
    const unsubscribeTail = tail.subscribe((entries) => send("audit", { entries, elsewhere: true }));
    const heartbeat = setInterval(() => res.write(": still here\n\n"), HEARTBEAT_MS);
    heartbeat.unref();
    req.on("close", () => {
      clearInterval(heartbeat);
      unsubscribe();
      unsubscribeTail();
    });
  };
}
