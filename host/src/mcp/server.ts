// The MCP server: the SDK's low-level Server, because tool schemas are only known at run time
// (derived from WIT). The SDK does not validate arguments on this path; ComponentHost does.
import { createRequire } from "node:module";
import {
  ProtocolError,
  ProtocolErrorCode,
  Server,
  type CallToolRequest,
  type CallToolResult,
  type JSONRPCRequest,
  type InputRequiredResult,
  type LoggingLevel,
  type Result,
  type ServerContext,
  type ServerOptions,
  type Tool,
  type Transport,
} from "@modelcontextprotocol/server";
import type { ComponentHost } from "../component-host.js";
import { BUILTIN_TOOLS, findBuiltin, runBuiltin } from "./builtin-tools.js";
import { toCallToolResult } from "./call-result.js";
import { askClient, MAX_CLIENT_REQUESTS_PER_CALL } from "./client-requests.js";
import type { HostEvents } from "./host-events.js";
import { NotificationOutbox } from "./notification-outbox.js";
import { Replay } from "./mrtr.js";
import { registerOfferHandlers } from "./offer-handlers.js";
import { invalidParams, nameUnknownMethods } from "./protocol-edge.js";
import { servesModernEra } from "./protocol-versions.js";
import { keepResourceNotFoundCode } from "./resource-not-found.js";
import { incomingContext, inToolCallSpan } from "../observability/tracing.js";
import type { ToolDefinition } from "../tools/tool-definitions.js";

const { version } = createRequire(import.meta.url)("../../package.json") as { version: string };
export const SERVER_INFO = { name: "airlock", version };

/**
 * The SDK's Server, with the 2025 code for a missing resource kept on every transport it serves,
 * and errors for bad requests that name the method or the field (protocol-edge.ts).
 */
class AirlockServer extends Server {
  override async connect(transport: Transport): Promise<void> {
    keepResourceNotFoundCode(transport, () => this.getNegotiatedProtocolVersion());
    nameUnknownMethods(transport);
    await super.connect(transport);
  }

  protected override _wrapHandler(method: string, handler: (request: JSONRPCRequest, ctx: ServerContext) => Promise<Result>) {
    const wrapped = super._wrapHandler(method, handler);
    return async (request: JSONRPCRequest, ctx: ServerContext): Promise<Result> => {
      try {
        return await wrapped(request, ctx);
      } catch (error) {
        throw invalidParams(request) ?? error;
      }
    };
  }
}

const OPTIONS: ServerOptions = {
  capabilities: {
    tools: { listChanged: true },
    resources: { subscribe: true, listChanged: true },
    prompts: { listChanged: true },
    completions: {},
    logging: {},
  },
  instructions: "Tools served by Airlock run as sandboxed WebAssembly components with no access to files, network or environment unless the user granted it.",
};

export interface McpServerOptions {
  /** A call still running after this long has its SSE stream closed; the client resumes it. */
  closeStreamsAfterMs?: number;
  /**
   * Where a built-in tool's load or unload is published, so every connection hears of it. Without
   * one (a server embedded on its own), the server tells only its own client.
   */
  events?: HostEvents;
}

export function createMcpServer(host: ComponentHost, options: McpServerOptions = {}): Server {
  const server = new AirlockServer(SERVER_INFO, OPTIONS);

  server.setRequestHandler("tools/list", () => {
    // The client has what it needs to start: prepare the components now, in the background.
    setTimeout(() => host.prepareAll(), 0);
    return { tools: [...BUILTIN_TOOLS.map((t) => t.definition), ...componentTools(host)] };
  });

  registerOfferHandlers(server, host);

  server.setRequestHandler("tools/call", async (request, ctx) => {
    const { name, arguments: args = {} } = request.params;
    const closing = closeStreamLater(ctx, options.closeStreamsAfterMs);
    try {
      const builtin = findBuiltin(name);
      if (!builtin) return await callComponentTool(server, host, request, ctx);
      const { result, changes } = await runBuiltin(host, builtin, args);
      if (changes && options.events) options.events.componentsChanged(changes);
      else if (changes) void server.sendToolListChanged().catch(() => undefined);
      return result;
    } finally {
      clearTimeout(closing);
    }
  });

  return server;
}

/**
 * Ends a long call's SSE stream (SEP-1699 polling): the client reconnects after the retry
 * interval and resumes from the last event it got, so no connection stays open for the whole
 * call. The SDK offers this only on a stream that can be resumed (an event store, 2025-11-25).
 */
function closeStreamLater(ctx: ServerContext, afterMs: number | undefined): NodeJS.Timeout | undefined {
  const close = ctx.http?.closeSSE;
  return close && afterMs !== undefined ? setTimeout(close, afterMs) : undefined;
}

function componentTools(host: ComponentHost): Tool[] {
  return host.catalog.all().map((tool): Tool => ({
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema as Tool["inputSchema"],
    ...(tool.outputSchema ? { outputSchema: tool.outputSchema as Tool["outputSchema"] } : {}),
    annotations: tool.annotations,
    _meta: { "airlock/component": tool.componentId },
  }));
}

/** How long after a call's last notification its result waits (see runComponentTool). */
const PROGRESS_SETTLE_MS = 25;

async function callComponentTool(server: Server, host: ComponentHost, request: CallToolRequest, ctx: ServerContext): Promise<CallToolResult | InputRequiredResult> {
  const { name } = request.params;
  const tool = host.catalog.get(name);
  if (!tool) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `unknown tool "${name}": call tools/list to see the tools this server offers`);
  const parent = incomingContext(request.params._meta, ctx.http?.req?.headers);
  return inToolCallSpan(name, tool.componentId, parent, () => runComponentTool(server, host, request, ctx, tool));
}

async function runComponentTool(server: Server, host: ComponentHost, request: CallToolRequest, ctx: ServerContext, tool: ToolDefinition): Promise<CallToolResult | InputRequiredResult> {
  const { name, arguments: args = {} } = request.params;
  const progressToken = request.params._meta?.progressToken;
  // Notifications about the call go out before its result, on the call's own stream (over
  // Streamable HTTP the only one a stateless client has): a client stops listening for progress
  // once the result arrives. Logs go through the SDK, which applies the level the client set.
  const sent: Promise<unknown>[] = [];
  let lastNotifiedAt = 0;
  const outbox = new NotificationOutbox(
    (n) => (n.method === "notifications/message" ? ctx.mcpReq.log(n.params.level as LoggingLevel, n.params.data, tool.componentId) : ctx.mcpReq.notify(n)),
    tool.componentId,
  );
  const notify = (notification: { method: string; params: Record<string, unknown> }) => {
    sent.push(outbox.send(notification));
    lastNotifiedAt = performance.now();
  };
  let clientRequests = 0;
  // A 2026-07-28 request cannot be asked anything mid-call: the call is replayed instead (mrtr.ts).
  const replay = servesModernEra(server) ? await Replay.start(ctx, host.homeRoot, name, args) : undefined;
  const outcome = await host.callTool(
    name,
    args,
    {
      signal: replay ? AbortSignal.any([ctx.mcpReq.signal, replay.signal]) : ctx.mcpReq.signal,
      onLog: (level, message) => notify({ method: "notifications/message", params: { level, data: message } }),
      onProgress: (done, total, message) => {
        if (progressToken === undefined) return;
        const params = { progressToken, progress: done, ...(total === undefined ? {} : { total }), ...(message === undefined ? {} : { message }) };
        notify({ method: "notifications/progress", params });
      },
      onClientRequest: (method, params, signal) => {
        if (++clientRequests > MAX_CLIENT_REQUESTS_PER_CALL) {
          return Promise.reject(new Error(`a call may ask the client at most ${MAX_CLIENT_REQUESTS_PER_CALL} times`));
        }
        return replay ? replay.ask(method, params) : askClient(server, ctx, method, params, signal);
      },
    },
    { client: ctx.http?.authInfo?.clientId ?? "default" },
  );
  const question = await replay?.inputRequired();
  if (question) return question;
  await Promise.all(sent);
  await outbox.finish();
  // The SDK's client runs notification handlers a microtask late but handles a response at
  // once: a progress notification that reaches it in the same read as the response is dropped.
  // A pause after the last notification lets it arrive on its own (5 ms was too short for a
  // client on a 2-core machine busy with other work); a call whose last notification went out
  // earlier than that waits no more.
  const pause = PROGRESS_SETTLE_MS - (performance.now() - lastNotifiedAt);
  if (progressToken !== undefined && sent.length > 0 && pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
  return toCallToolResult(outcome);
}
