// The protocol versions the host speaks, and the answers that must name all of them. The host
// serves 2026-07-28 (per-request `_meta`, no session) beside the 2025-era revisions (initialize),
// but the v2 SDK's `server/discover` result and its -32022 UnsupportedProtocolVersion errors list
// only the modern revision: a client told "2026-07-28 only" cannot know it may fall back to
// initialize. These functions put the whole list in (spec basic/versioning.mdx).
import { SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage, type Server } from "@modelcontextprotocol/server";

export const MODERN_VERSION = "2026-07-28";
/** Newest first: the modern revision, then the 2025-era ones an initialize may ask for. */
export const SERVED_VERSIONS: readonly string[] = [MODERN_VERSION, ...SUPPORTED_PROTOCOL_VERSIONS];

export const PROTOCOL_VERSION_KEY = "io.modelcontextprotocol/protocolVersion";
export const UNSUPPORTED_PROTOCOL_VERSION = -32022;

export const isModernVersion = (version: string) => version >= MODERN_VERSION;

/** Whether `server` serves the 2026-07-28 era (an instance is of one era for its whole life). */
export function servesModernEra(server: Server): boolean {
  const version = server.getNegotiatedProtocolVersion();
  return version !== undefined && isModernVersion(version);
}

/**
 * `message` with every version the host speaks where the SDK named only the modern one: in an
 * UnsupportedProtocolVersion error's `data.supported`, and, when `isDiscoverResult`, in a
 * `server/discover` result's `supportedVersions`. Other messages are returned as they are.
 */
export function withServedVersions(message: JSONRPCMessage, isDiscoverResult: boolean): JSONRPCMessage {
  if ("error" in message && message.error.code === UNSUPPORTED_PROTOCOL_VERSION) {
    const data = typeof message.error.data === "object" && message.error.data !== null ? message.error.data : {};
    return { ...message, error: { ...message.error, data: { ...data, supported: [...SERVED_VERSIONS] } } };
  }
  if (isDiscoverResult && "result" in message && Array.isArray(message.result.supportedVersions)) {
    return { ...message, result: { ...message.result, supportedVersions: [...SERVED_VERSIONS] } };
  }
  return message;
}

/** The error for a request that claims a revision the host does not speak. */
export function unsupportedVersion(requested: string): { code: number; message: string; data: { supported: string[]; requested: string } } {
  return {
    code: UNSUPPORTED_PROTOCOL_VERSION,
    message: `Unsupported protocol version ${JSON.stringify(requested)}: this server speaks ${SERVED_VERSIONS.join(", ")} (2025-era versions through initialize)`,
    data: { supported: [...SERVED_VERSIONS], requested },
  };
}
