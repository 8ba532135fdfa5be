// The MCP server: the SDK's low-level Server, because tool schemas are only known at run time
// (derived from WIT). The SDK does not validate arguments on this path; ComponentHost does.
import { createRequire } from "node:module";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  CallToolRequestSchema,
  CreateMessageRequestSchema,
  CreateMessageResultSchema,
  ElicitRequestSchema,
  ElicitResultSchema,
  type CallToolRequest,
  type CallToolResult,
  type ServerNotification,
  type ServerRequest,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type LoggingLevel,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import type { ComponentHost } from "../component-host.js";
import { BUILTIN_TOOLS, findBuiltin, runBuiltin } from "./builtin-tools.js";
import { toCallToolResult } from "./call-result.js";
import { MAX_CLIENT_REQUEST_CHARS } from "../executor/protocol.js";
import { depthAtMost, MAX_NESTING } from "../executor/value-size.js";
import { NotificationOutbox } from "./notification-outbox.js";
import { registerOfferHandlers } from "./offer-handlers.js";

const { version } = createRequire(import.meta.url)("../../package.json") as { version: string };
export const SERVER_INFO = { name: "airlock", version };

export function createMcpServer(host: ComponentHost): Server {
  const server = new Server(SERVER_INFO, {
    capabilities: {
      tools: { listChanged: true },
      resources: { subscribe: true, listChanged: true },
      prompts: { listChanged: true },
      completions: {},
      logging: {},
    },
    instructions: "Tools served by Airlock run as sandboxed WebAssembly components with no access to files, network or environment unless the user granted it.",
  });

  server.setRequestHandler(ListToolsRequestSchema, () => {
    // The client has what it needs to start: prepare the components now, in the background.
    setTimeout(() => host.prepareAll(), 0);
    return { tools: [...BUILTIN_TOOLS.map((t) => t.definition), ...componentTools(host)] };
  });

  registerOfferHandlers(server, host);

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args = {} } = request.params;
    const builtin = findBuiltin(name);
    if (builtin) {
      const { result, toolsChanged } = await runBuiltin(host, builtin, args);
      if (toolsChanged) void server.sendToolListChanged().catch(() => undefined);
      return result;
    }
    return callComponentTool(server, host, request, extra);
  });

  return server;
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

async function callComponentTool(server: Server, host: ComponentHost, request: CallToolRequest, extra: RequestHandlerExtra<ServerRequest, ServerNotification>): Promise<CallToolResult> {
  const { name, arguments: args = {} } = request.params;
  if (!host.catalog.get(name)) {
    throw new McpError(ErrorCode.InvalidParams, `unknown tool "${name}": call tools/list to see the tools this server offers`);
  }
  const progressToken = request.params._meta?.progressToken;
  const componentId = host.catalog.get(name)!.componentId;
  // Notifications about the call go out before its result: a client stops listening for
  // progress once the result arrives.
  const sent: Promise<unknown>[] = [];
  const outbox = new NotificationOutbox((notification) => extra.sendNotification(notification as ServerNotification), componentId);
  let clientRequests = 0;
  const outcome = await host.callTool(name, args, {
    signal: extra.signal,
    onLog: (level, message) => {
      if (loggingIgnores(server, level as LoggingLevel, extra.sessionId)) return;
      // Sent as part of the call, so that over Streamable HTTP it travels on the call's own
      // stream (a stateless server has no other stream to send it on).
      const params = { level: level as LoggingLevel, logger: componentId, data: message };
      sent.push(outbox.send({ method: "notifications/message", params }));
    },
    onProgress: (done, total, message) => {
      if (progressToken === undefined) return;
      const params = { progressToken, progress: done, ...(total === undefined ? {} : { total }), ...(message === undefined ? {} : { message }) };
      sent.push(outbox.send({ method: "notifications/progress", params }));
    },
    onClientRequest: (method, params, signal) => {
      if (++clientRequests > MAX_CLIENT_REQUESTS_PER_CALL) {
        return Promise.reject(new Error(`a call may ask the client at most ${MAX_CLIENT_REQUESTS_PER_CALL} times`));
      }
      return askClient(server, extra, method, params, signal);
    },
  });
  await Promise.all(sent);
  await outbox.finish();
  // The SDK's client runs notification handlers a microtask late but handles a response at
  // once: a progress notification that reaches it in the same read as the response is dropped.
  // A short pause lets the last notification arrive on its own.
  if (progressToken !== undefined && sent.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  return toCallToolResult(outcome);
}

const MAX_CLIENT_REQUESTS_PER_CALL = 16;

/**
 * A guest's sampling or elicitation request, sent to the client as part of the running call.
 * The params must be valid MCP params, and may not reach past the sandbox: no context from other
 * servers in sampling, and no URL-mode elicitation (a URL the user opens would carry data out
 * of a component that has no network grant).
 */
async function askClient(
  server: Server,
  extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
  method: "sampling/createMessage" | "elicitation/create",
  paramsJson: string,
  signal: AbortSignal,
): Promise<string> {
  const capability = method === "sampling/createMessage" ? "sampling" : "elicitation";
  if (!server.getClientCapabilities()?.[capability]) {
    throw new Error(`the MCP client does not support ${capability}: it did not declare the capability when it connected`);
  }
  if (paramsJson.length > MAX_CLIENT_REQUEST_CHARS) throw new Error(`the ${method} params are over ${MAX_CLIENT_REQUEST_CHARS} characters`);
  let params: Record<string, unknown>;
  try {
    params = JSON.parse(paramsJson) as Record<string, unknown>;
    if (!depthAtMost(params, MAX_NESTING)) throw new Error(`nested deeper than ${MAX_NESTING} levels`);
  } catch (error) {
    throw new Error(`the ${method} params are not usable JSON: ${(error as Error).message}`, { cause: error });
  }
  const request = (method === "sampling/createMessage" ? CreateMessageRequestSchema : ElicitRequestSchema).safeParse({ method, params });
  if (!request.success) throw new Error(`the ${method} params are not valid MCP params: ${request.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  if (params.includeContext !== undefined && params.includeContext !== "none") {
    throw new Error(`includeContext "${String(params.includeContext)}" is not allowed: a sandboxed component may not ask for context from other servers`);
  }
  if (params.mode !== undefined && params.mode !== "form") {
    throw new Error(`elicitation mode "${String(params.mode)}" is not allowed: only form elicitation (a URL could carry data out of the sandbox)`);
  }
  // Only the protocol's own fields go to the client (no _meta or task from the guest).
  const { _meta: _ignoredMeta, task: _ignoredTask, ...clean } = params;
  try {
    const schema = method === "sampling/createMessage" ? CreateMessageResultSchema : ElicitResultSchema;
    return JSON.stringify(await extra.sendRequest({ method, params: clean } as ServerRequest, schema, { signal }));
  } catch (error) {
    throw new Error(`the client answered ${method} with an error: ${(error as Error).message}`, { cause: error });
  }
}

/** The level the client set with logging/setLevel, applied as the SDK's sendLoggingMessage does. */
function loggingIgnores(server: Server, level: LoggingLevel, sessionId: string | undefined): boolean {
  const filter = (server as unknown as { isMessageIgnored?: (level: LoggingLevel, sessionId?: string) => boolean }).isMessageIgnored;
  return filter ? filter(level, sessionId) : false;
}

/** Guest stdout/stderr as MCP log messages (never on the protocol stream itself). */
export function forwardGuestOutput(server: Server, componentId: string, stream: "stdout" | "stderr", line: string): void {
  void server.sendLoggingMessage({ level: stream === "stderr" ? "warning" : "info", logger: componentId, data: line }).catch(() => undefined);
}
