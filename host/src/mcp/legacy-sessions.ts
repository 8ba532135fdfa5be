// The sessions of 2025-era Streamable HTTP clients: `initialize` starts one (an Mcp-Session-Id,
// its own transport, protocol server and event store over the one shared ComponentHost); later
// requests, the GET stream and DELETE name it. Sessions let the host ask the client things
// mid-call (sampling, elicitation), whose answers arrive as separate POSTs, and let a client
// resume a stream it lost: streams open with a priming event and a retry interval, and a GET
// with Last-Event-ID replays what was missed (SEP-1699).
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";
import { SUPPORTED_PROTOCOL_VERSIONS, type Server } from "@modelcontextprotocol/server";
import type { ComponentHost } from "../component-host.js";
import { BoundedEventStore } from "./event-store.js";
import type { HostEvents } from "./host-events.js";
import { notifyServer } from "./server-notifications.js";
import { createMcpServer } from "./server.js";

/** How long a client waits before reconnecting to a stream the server ended. */
export const RETRY_INTERVAL_MS = 1000;

export interface SessionOptions {
  /** Sessions open at once; the one idle longest is closed to make room. */
  maxSessions: number;
  /** A session unused this long is closed. */
  idleTimeoutMs: number;
  /** A call still running after this long has its SSE stream closed; the client resumes it. */
  closeStreamsAfterMs?: number;
  /** The host's events, which every session hears (and publishes its built-in tools' changes to). */
  events: HostEvents;
}

type Req = IncomingMessage & { body?: unknown };

export interface Session {
  /** Hands the request to the session's transport. */
  handle(req: Req, res: ServerResponse): Promise<void>;
}

export class LegacySessions {
  private readonly sessions = new Map<string, { transport: NodeStreamableHTTPServerTransport; server: Server; lastUsed: number }>();
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly host: ComponentHost,
    private readonly options: SessionOptions,
  ) {
    this.sweep = setInterval(() => this.closeIdle(), Math.min(options.idleTimeoutMs, 60_000));
    this.sweep.unref();
  }

  /** The session `id` names, or undefined when there is none (unknown or ended). */
  get(id: string): Session | undefined {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    session.lastUsed = Date.now();
    return {
      handle: (req, res) => {
        useSessionVersion(req, session.server);
        return session.transport.handleRequest(req, res, req.body);
      },
    };
  }

  /** Starts a session with an `initialize` request. */
  async start(req: Req, res: ServerResponse): Promise<void> {
    if (this.sessions.size >= this.options.maxSessions) {
      const oldest = [...this.sessions].sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0]!;
      this.close(oldest[0]);
    }
    const server = createMcpServer(this.host, { closeStreamsAfterMs: this.options.closeStreamsAfterMs, events: this.options.events });
    notifyServer(this.options.events, server);
    const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void this.sessions.set(id, { transport, server, lastUsed: Date.now() }),
      eventStore: new BoundedEventStore(),
      retryInterval: RETRY_INTERVAL_MS,
    });
    transport.onclose = () => {
      if (transport.sessionId) this.sessions.delete(transport.sessionId);
      void server.close();
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  }

  closeAll(): void {
    clearInterval(this.sweep);
    for (const id of [...this.sessions.keys()]) this.close(id);
  }

  private close(id: string): void {
    const session = this.sessions.get(id);
    this.sessions.delete(id);
    void session?.transport.close();
  }

  private closeIdle(): void {
    for (const [id, session] of this.sessions) if (Date.now() - session.lastUsed > this.options.idleTimeoutMs) this.close(id);
  }
}

/**
 * The version the session negotiated at initialize governs it: a request whose
 * MCP-Protocol-Version header names another supported version is taken as the session's. The SDK
 * reads the header to decide whether a stream may open with a priming event (empty data, only
 * from 2025-11-25), and some clients send an older version than they negotiated (the
 * conformance suite's SSE scenarios send 2025-03-26). Unsupported versions are left for the
 * transport to refuse.
 */
function useSessionVersion(req: IncomingMessage, server: Server): void {
  const sent = req.headers["mcp-protocol-version"];
  const negotiated = server.getNegotiatedProtocolVersion();
  if (typeof sent !== "string" || negotiated === undefined || sent === negotiated || !SUPPORTED_PROTOCOL_VERSIONS.includes(sent)) return;
  req.headers["mcp-protocol-version"] = negotiated;
  // The SDK's Node adapter may read the raw headers instead.
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() === "mcp-protocol-version") req.rawHeaders[i + 1] = negotiated;
}
