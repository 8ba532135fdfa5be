// The 2026-07-28 era over Streamable HTTP: requests that carry their protocol version in `_meta`
// and belong to no session. Each is answered by a fresh protocol server over the one shared
// ComponentHost (the SDK's stateless handler), so any `airlock serve --http` on the same store can
// answer any request. `subscriptions/listen` streams hear the host's component changes through
// the handler's event bus.
import type { IncomingMessage, ServerResponse } from "node:http";
import { toNodeHandler } from "@modelcontextprotocol/node";
import { createMcpHandler, type JSONRPCMessage, type McpHandlerRequestOptions } from "@modelcontextprotocol/server";
import type { ComponentHost } from "../component-host.js";
import type { HostEvents } from "./host-events.js";
import { withServedVersions } from "./protocol-versions.js";
import { createMcpServer } from "./server.js";

/** As large as the legacy route's body limit: arguments (a document to check) can be big. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface ModernHttp {
  /** Serves one request; `body` is the JSON the body parser read. */
  handle(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void>;
  close(): Promise<void>;
}

export function createModernHttp(host: ComponentHost, events: HostEvents, onError: (error: Error) => void): ModernHttp {
  const handler = createMcpHandler(() => createMcpServer(host, { events }), { legacy: "reject", onerror: onError, maxRequestBodySize: MAX_BODY_BYTES });
  const unsubscribe = events.subscribe((event) => {
    if (event.kind === "components-changed") handler.notify.toolsChanged();
  });
  const fetch = async (request: Request, options?: McpHandlerRequestOptions) => namingServedVersions(await handler.fetch(request, options), options?.parsedBody);
  const node = toNodeHandler({ fetch }, { onerror: onError, maxRequestBodySize: MAX_BODY_BYTES });
  return {
    handle: (req, res, body) => node(req, res, body),
    close: async () => {
      unsubscribe();
      await handler.close();
    },
  };
}

/** A JSON answer (never a stream) rewritten to name every version the host speaks (protocol-versions.ts). */
async function namingServedVersions(response: Response, body: unknown): Promise<Response> {
  if (!response.headers.get("content-type")?.includes("application/json")) return response;
  const text = await response.text();
  let message: JSONRPCMessage;
  try {
    message = JSON.parse(text) as JSONRPCMessage;
  } catch {
    return new Response(text, response);
  }
  const isDiscover = typeof body === "object" && body !== null && (body as { method?: unknown }).method === "server/discover";
  const patched = withServedVersions(message, isDiscover);
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(patched === message ? text : JSON.stringify(patched), { status: response.status, statusText: response.statusText, headers });
}
