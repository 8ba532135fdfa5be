// The stdio transport as `serveStdio` gets it, with what the SDK leaves out of a dual-era
// connection (measured on 2.4.0): once a connection is pinned to 2026-07-28 its requests are
// passed to the server unchecked, so one claiming another revision was served and one without
// `_meta` got an error that named no key. Here a request naming a revision the host does not
// speak gets -32022, and one missing a required `_meta` key on a 2026-07-28 connection gets
// -32602 naming it, both before the SDK sees them; and answers that list versions name all the host speaks
// (protocol-versions.ts).
import type { JSONRPCMessage, Transport, TransportSendOptions } from "@modelcontextprotocol/server";
import { MODERN_VERSION, PROTOCOL_VERSION_KEY, unsupportedVersion, withServedVersions } from "./protocol-versions.js";

type Id = string | number;

export class StdioEras implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** Set by the first request that is not a probe: one without a claim (initialize) pins 2025, a 2026-07-28 claim modern. */
  private era: "legacy" | "modern" | undefined;
  private readonly discoverIds = new Set<Id>();

  constructor(
    private readonly inner: Transport,
    onClosed: () => void,
  ) {
    inner.onmessage = (message) => this.receive(message);
    inner.onerror = (error) => this.onerror?.(error);
    inner.onclose = () => {
      this.onclose?.();
      onClosed();
    };
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const isDiscover = "id" in message && message.id !== null && this.discoverIds.delete(message.id as Id);
    return this.inner.send(withServedVersions(message, isDiscover), options);
  }

  private receive(message: JSONRPCMessage): void {
    if (!("method" in message) || !("id" in message)) return this.onmessage?.(message);
    const claim = claimOf(message.params);
    if (claim.present && claim.version !== MODERN_VERSION && typeof claim.version === "string") {
      return this.reply(message.id, unsupportedVersion(claim.version));
    }
    const missing = !claim.present ? (this.era === "modern" && message.method !== "initialize" ? REQUIRED_KEYS : []) : REQUIRED_KEYS.filter((key) => !(key in claim.meta));
    if (missing.length > 0) {
      return this.reply(message.id, {
        code: -32602,
        message: `Invalid params: a ${MODERN_VERSION} request carries ${REQUIRED_KEYS.map((k) => `"${k}"`).join(" and ")} in params._meta; this ${message.method} request has no ${missing.map((k) => `"${k}"`).join(" and ")}`,
        data: { envelope: { missing } },
      });
    }
    if (message.method === "server/discover") this.discoverIds.add(message.id);
    // As serveStdio decides: the first request after any probe pins the connection's era.
    else if (this.era === undefined) this.era = claim.present && claim.version === MODERN_VERSION ? "modern" : claim.present ? undefined : "legacy";
    this.onmessage?.(message);
  }

  private reply(id: Id, error: { code: number; message: string; data?: unknown }): void {
    this.inner.send({ jsonrpc: "2.0", id, error }).catch((e: Error) => this.onerror?.(e));
  }
}

/** What every 2026-07-28 request carries in `_meta` (clientInfo is only a SHOULD). */
const REQUIRED_KEYS = [PROTOCOL_VERSION_KEY, "io.modelcontextprotocol/clientCapabilities"];

/** Whether params carry the 2026-07-28 version claim, and the version it names. */
function claimOf(params: unknown): { present: false } | { present: true; version: unknown; meta: Record<string, unknown> } {
  const meta = typeof params === "object" && params !== null ? (params as { _meta?: unknown })._meta : undefined;
  if (typeof meta !== "object" || meta === null || !(PROTOCOL_VERSION_KEY in meta)) return { present: false };
  return { present: true, version: (meta as Record<string, unknown>)[PROTOCOL_VERSION_KEY], meta: meta as Record<string, unknown> };
}
