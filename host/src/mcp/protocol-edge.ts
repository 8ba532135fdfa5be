// Bad input at the protocol edge gets the JSON-RPC error its kind calls for, with a message that
// says what to change. The SDK's own answers name neither the method nor the field: a bare
// "Method not found", and for params that fail the request schema a dump of schema issues (as
// -32602 for tools/call, as an internal error -32603 for the other requests).
import {
  ProtocolError,
  ProtocolErrorCode,
  parseJSONRPCMessage,
  specTypeSchemas,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type RequestId,
  type SpecTypeName,
  type Transport,
} from "@modelcontextprotocol/server";

/** The spec type of each request a client sends a server. */
const REQUEST_TYPES: Readonly<Record<string, SpecTypeName>> = {
  initialize: "InitializeRequest",
  ping: "PingRequest",
  "server/discover": "DiscoverRequest",
  "subscriptions/listen": "SubscriptionsListenRequest",
  "tools/list": "ListToolsRequest",
  "tools/call": "CallToolRequest",
  "prompts/list": "ListPromptsRequest",
  "prompts/get": "GetPromptRequest",
  "resources/list": "ListResourcesRequest",
  "resources/templates/list": "ListResourceTemplatesRequest",
  "resources/read": "ReadResourceRequest",
  "resources/subscribe": "SubscribeRequest",
  "resources/unsubscribe": "UnsubscribeRequest",
  "completion/complete": "CompleteRequest",
  "logging/setLevel": "SetLevelRequest",
};

/**
 * A -32602 saying which of `request`'s params break its schema (`arguments must be an object,
 * not null`), or undefined when they are well formed. Asked only once a request has failed, so
 * a valid request costs nothing; a request that breaks its schema never reached its handler.
 */
export function invalidParams(request: JSONRPCRequest): ProtocolError | undefined {
  const type = REQUEST_TYPES[request.method];
  if (type === undefined) return undefined;
  const outcome = specTypeSchemas[type]["~standard"].validate(request);
  if (outcome instanceof Promise || !outcome.issues?.length) return undefined;
  const problems = outcome.issues.slice(0, 3).map((issue) => describeIssue(request, issue));
  const more = outcome.issues.length > 3 ? `; and ${outcome.issues.length - 3} more` : "";
  return new ProtocolError(ProtocolErrorCode.InvalidParams, `invalid ${request.method} request: ${problems.join("; ")}${more}`);
}

type Issue = { message: string; path?: readonly (PropertyKey | { key: PropertyKey })[]; expected?: unknown };

const NOUNS: Record<string, string> = {
  record: "an object",
  object: "an object",
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  array: "an array",
};
const HINTS: Record<string, string> = { arguments: " (leave it out when there are none)" };

function describeIssue(request: JSONRPCRequest, issue: Issue): string {
  const path = (issue.path ?? []).map((segment) => (typeof segment === "object" ? segment.key : segment));
  // Fields are named as in the spec's params: "arguments", "arguments.text", "name".
  const inParams = path[0] === "params" && path.length > 1 ? path.slice(1) : path;
  const field = inParams.length > 0 ? inParams.map(String).join(".") : "the request";
  const expected = typeof issue.expected === "string" ? NOUNS[issue.expected] : undefined;
  if (expected === undefined) return `${field}: ${issue.message}`;
  const value = path.reduce<unknown>((at, key) => (at !== null && typeof at === "object" ? (at as Record<PropertyKey, unknown>)[key] : undefined), request);
  const hint = HINTS[field] ?? "";
  return value === undefined ? `${field} is missing: it must be ${expected}` : `${field} must be ${expected}${hint}, not ${kindOf(value)}`;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `the ${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`;
}

/** How many requests a transport remembers the methods of, awaiting their answers. */
const REMEMBERED_REQUESTS = 1024;

/**
 * Makes `transport` name the method in a "Method not found" answer (`Method not found: foo/bar`).
 * The answer carries only the request's id, so the method of each request received is kept
 * until its answer goes out. Call before the server connects: the SDK keeps an `onmessage`
 * already set and calls it first.
 */
export function nameUnknownMethods(transport: Transport): void {
  const methods = new Map<RequestId, string>();
  const received = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if ("method" in message && "id" in message) {
      methods.set(message.id, message.method);
      if (methods.size > REMEMBERED_REQUESTS) methods.delete(methods.keys().next().value!);
    }
    received?.(message, extra);
  };
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    if (!("error" in message || "result" in message) || message.id === undefined) return send(message, options);
    const method = methods.get(message.id);
    methods.delete(message.id);
    const unnamed = "error" in message && message.error.code === ProtocolErrorCode.MethodNotFound && message.error.message === "Method not found";
    return send(unnamed && method !== undefined ? { ...message, error: { ...message.error, message: `Method not found: ${method}` } } : message, options);
  };
}

/** A JSON-RPC error answer; `id` is null when the message's id could not be read. */
export interface EdgeError {
  jsonrpc: "2.0";
  id: RequestId | null;
  error: { code: number; message: string };
}

const edgeError = (id: RequestId | null, code: number, message: string): EdgeError => ({ jsonrpc: "2.0", id, error: { code, message } });

/**
 * The answer to one message as received (`text`, a stdio line), or undefined when it is a
 * JSON-RPC message to hand on: -32700 for text that is not JSON, -32600 for JSON that is no
 * JSON-RPC message (a batch included: MCP has none since 2025-06-18).
 */
export function checkMessageText(text: string): EdgeError | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return edgeError(null, ProtocolErrorCode.ParseError, `parse error: not valid JSON (${(error as Error).message}); send one JSON-RPC message per line`);
  }
  return checkMessage(value);
}

/** -32600 for a parsed value that is no JSON-RPC message, else undefined. */
export function checkMessage(value: unknown): EdgeError | undefined {
  try {
    parseJSONRPCMessage(value);
    return undefined;
  } catch {
    return edgeError(requestIdOf(value), ProtocolErrorCode.InvalidRequest, `invalid request: ${whatIsWrong(value)}`);
  }
}

/**
 * The id to answer with: a request's, when it can be read. A malformed response keeps id null,
 * since its id numbers the server's own requests and an error under it would answer one of them.
 */
function requestIdOf(value: unknown): RequestId | null {
  if (value === null || typeof value !== "object" || Array.isArray(value) || !("method" in value)) return null;
  const id = (value as { id?: unknown }).id;
  return typeof id === "string" || (typeof id === "number" && Number.isInteger(id)) ? id : null;
}

function whatIsWrong(value: unknown): string {
  if (Array.isArray(value)) return "a JSON array (a batch): MCP does not take JSON-RPC batches, send each message on its own";
  if (value === null || typeof value !== "object") return `a JSON-RPC message is an object, not ${kindOf(value)}`;
  const message = value as Record<string, unknown>;
  if (message.jsonrpc !== "2.0") return `"jsonrpc" must be "2.0"`;
  if ("method" in message) {
    if (typeof message.method !== "string") return `"method" must be a string`;
    if ("id" in message && requestIdOf(message) === null) return `"id" must be a string or an integer (leave it out for a notification)`;
    if ("params" in message && (message.params === null || typeof message.params !== "object" || Array.isArray(message.params))) return `"params" must be an object`;
  }
  return `not a JSON-RPC request, notification or response (a request has "method" and "id", a response "id" and "result" or "error")`;
}

/** The type the SDK's send takes; an id of null (the JSON-RPC answer to an unreadable id) included. */
export const asMessage = (error: EdgeError) => error as unknown as JSONRPCMessage;
