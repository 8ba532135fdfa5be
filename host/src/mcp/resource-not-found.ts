// "Resource not found" keeps its 2025 code. The 2025-11-25 spec answers it with -32002 (2026-07-28
// moved it to -32602), but the v2 SDK maps a thrown -32002 to -32602 on every era (its codecs'
// `encodeErrorCode`). So the error is thrown as -32602 with a marker that JSON never shows, and the
// transport's `send` puts -32002 back on a connection that negotiated a 2025 revision. Either way
// `data.uri` echoes the URI asked for, as both revisions' examples show.
import { ProtocolError, ProtocolErrorCode, type JSONRPCMessage, type Transport } from "@modelcontextprotocol/server";

/** The code the 2025 revisions give a resource that does not exist. */
export const RESOURCE_NOT_FOUND = -32002;
const MARK = Symbol("airlock/resource-not-found");
const FIRST_MODERN_VERSION = "2026-07-28";

export function resourceNotFound(uri: string, message: string): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.InvalidParams, message, { [MARK]: true, uri });
}

/** Makes `transport` send marked errors as -32002 while `version()` is a 2025 revision. */
export function keepResourceNotFoundCode(transport: Transport, version: () => string | undefined): void {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => send(restoreCode(message, version()), options);
}

function restoreCode(message: JSONRPCMessage, version: string | undefined): JSONRPCMessage {
  if (!("error" in message) || !isMarked(message.error.data)) return message;
  const legacy = version === undefined || version < FIRST_MODERN_VERSION;
  const { uri } = message.error.data;
  return { ...message, error: { code: legacy ? RESOURCE_NOT_FOUND : ProtocolErrorCode.InvalidParams, message: message.error.message, data: { uri } } };
}

const isMarked = (data: unknown): data is { [MARK]: true; uri: string } => typeof data === "object" && data !== null && MARK in data;
