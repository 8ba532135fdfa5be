// The WASI imports a guest gets: deny by default. Only granted directories are preopened (each
// at its own path, read only unless write was granted); outgoing HTTP only to granted hosts, and
// by name only where the name does not resolve to a local or private address;
// only granted environment variables; argv is the component id; no working directory; no
// sockets. Guest stdout/stderr go to this worker's own streams, which the host captures.
import { http } from "@bytecodealliance/preview2-shim";
import { _createPreopenDescriptor } from "@bytecodealliance/preview2-shim/filesystem";
import { WASIShim } from "@bytecodealliance/preview2-shim/instantiation";
import type { SandboxConfig } from "../protocol.js";
import type { DecisionRecorder } from "./decisions.js";
import { confineDescriptors, registerPreopens } from "./files.js";
import { resolvedAddressProblem } from "./address-policy.js";
import { checkRequest } from "./network-policy.js";
import { withPreciseErrorCode } from "./http-error-code.js";

import type { ImportObject } from "../glue-imports.js";

interface OutgoingRequest {
  method(): { tag: string; val?: string };
  scheme(): { tag: string; val?: string } | undefined;
  authority(): string | undefined;
}

/**
 * Resolves a host name for the address check (synchronously: a guest's request is a sync call):
 * its addresses, or why it has none (`ENOTFOUND`, `EAI_AGAIN`, ...).
 */
export type LookupHost = (host: string) => { addresses: string[] } | { failure: string };

const noLookup: LookupHost = () => ({ addresses: [] });

// The shim's objects every instance of a worker is handed alike: standard streams, terminals,
// preopened directories. The rest (open files, their streams, HTTP requests) belong to the call
// that made them.
const workerWide = new WeakSet<object>();
const symbolDispose: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for("dispose");

function keptByWorker<T>(value: T): T {
  if (value !== null && typeof value === "object") workerWide.add(value);
  return value;
}

/**
 * Closes what a guest still held when its call returned (a file it never closed): what a discarded
 * instance would leave to the garbage collector. The worker-wide objects stay open.
 */
export function releaseHeld(objects: unknown[]): void {
  // A stream refuses to close while its pollable is open: what failed is tried again once the rest is closed.
  let failed: object[] = [];
  for (let pass = 0; pass < 2; pass++) {
    const retry: object[] = [];
    for (const object of pass === 0 ? objects : failed) {
      if (object === null || typeof object !== "object" || workerWide.has(object)) continue;
      try {
        (object as Record<symbol, (() => void) | undefined>)[symbolDispose]?.();
      } catch {
        retry.push(object);
      }
    }
    failed = retry;
  }
  // Whatever still refuses is left to the garbage collector, as a discarded instance would be.
}

export function sandboxImports(config: SandboxConfig, recorder: DecisionRecorder, lookupHost: LookupHost = noLookup): ImportObject {
  const preopens = Object.fromEntries(config.storage.map((g) => [g.path, g.path]));
  const shim = new WASIShim({ sandbox: { preopens, env: config.environment, args: [config.componentId], enableNetwork: false } });
  const imports = shim.getImportObject() as unknown as ImportObject;

  const environment = imports["wasi:cli/environment"]!;
  imports["wasi:cli/environment"] = {
    ...environment,
    getEnvironment: () => {
      const entries = Object.entries(config.environment);
      recorder.record({ kind: "environment", target: entries.map(([k]) => k).join(", ") || "(none granted)", mode: "read", allowed: true });
      return entries;
    },
    // The shim's sandbox mode still reports the host's working directory.
    initialCwd: () => undefined,
  };

  // Standard streams and terminals are the same objects for every instance: a reset leaves them open.
  for (const [name, getter] of [
    ["wasi:cli/stdout", "getStdout"],
    ["wasi:cli/stderr", "getStderr"],
    ["wasi:cli/terminal-stdout", "getTerminalStdout"],
    ["wasi:cli/terminal-stderr", "getTerminalStderr"],
  ] as const) {
    const get = imports[name]?.[getter] as (() => unknown) | undefined;
    if (get) imports[name] = { ...imports[name], [getter]: () => keptByWorker(get()) };
  }

  // The shim's stdin reads the process's file descriptor 0, shared by every thread: in `serve`
  // that is the MCP channel itself. A guest's stdin is an empty stream (/dev/null) instead.
  const types = imports["wasi:filesystem/types"]!;
  const emptyStdin = emptyInputStream(types.Descriptor as never);
  imports["wasi:cli/stdin"] = { getStdin: emptyStdin };
  imports["wasi:cli/terminal-stdin"] = { getTerminalStdin: () => undefined };

  confineDescriptors(types.Descriptor as never, recorder);
  const getDirectories = (imports["wasi:filesystem/preopens"]!.getDirectories as () => [object, string][]).bind(null);
  imports["wasi:filesystem/preopens"] = {
    getDirectories: () => {
      const entries = getDirectories();
      registerPreopens(entries, config.storage);
      for (const [descriptor] of entries) keptByWorker(descriptor);
      return entries;
    },
  };

  // Raw sockets are never granted: only HTTP to granted hosts goes out.
  const denySocket = (what: string) => () => {
    recorder.record({ kind: "network", target: what, mode: "socket", allowed: false, reason: "raw sockets are not available to components; only HTTP requests to granted hosts are" });
    throw "access-denied";
  };
  imports["wasi:sockets/tcp-create-socket"] = { createTcpSocket: denySocket("tcp socket") };
  imports["wasi:sockets/udp-create-socket"] = { createUdpSocket: denySocket("udp socket") };
  imports["wasi:sockets/ip-name-lookup"] = { ...imports["wasi:sockets/ip-name-lookup"], resolveAddresses: denySocket("name lookup") };

  preciseHttpErrors(http.types.FutureIncomingResponse as never);
  const outgoing = http.outgoingHandler as { handle: (request: OutgoingRequest, options: unknown) => unknown };
  imports["wasi:http/outgoing-handler"] = {
    handle(request: OutgoingRequest, options: unknown) {
      const scheme = request.scheme();
      const method = request.method();
      const check = checkRequest(scheme?.tag === "other" ? (scheme.val ?? "") : (scheme?.tag ?? "https"), request.authority(), config.network);
      // A granted name must not lead into this machine or its network (DNS pointing at 127.0.0.1
      // or 169.254.169.254). The shim resolves the name again when it connects: a name whose
      // answer changes in between is not caught here (see the README's known limits).
      let dnsFailure: string | undefined;
      if (check.allowed && check.resolve && !config.privateNetwork) {
        const lookup = lookupHost(check.resolve);
        // A name that does not resolve leads nowhere: the request is allowed and fails as a DNS
        // error, so the tool can tell a typo or an outage from a denial.
        if ("failure" in lookup) dnsFailure = lookup.failure;
        else {
          const problem = resolvedAddressProblem(check.resolve, lookup.addresses);
          if (problem) Object.assign(check, { allowed: false, reason: problem });
        }
      }
      recorder.record({
        kind: "network",
        target: check.target,
        mode: method.tag === "other" ? (method.val ?? "other") : method.tag.toUpperCase(),
        allowed: check.allowed,
        ...(check.reason ? { reason: check.reason } : {}),
        ...(check.suggestedGrant ? { grant: { kind: "network" as const, host: check.suggestedGrant } } : {}),
      });
      if (!check.allowed) throw { tag: "HTTP-request-denied" };
      if (dnsFailure) throw { tag: "DNS-error", val: { rcode: dnsFailure, infoCode: undefined } };
      return outgoing.handle(request, options);
    },
  };
  return imports;
}

/** Failed requests answer with the wasi:http error code the failure stands for (see http-error-code). */
function preciseHttpErrors(future: { prototype: { get: () => unknown; [PATCHED]?: true } }): void {
  const proto = future.prototype;
  if (proto[PATCHED]) return;
  const get = proto.get;
  proto.get = function (this: unknown) {
    return withPreciseErrorCode(get.call(this) as never);
  };
  proto[PATCHED] = true;
}
const PATCHED = Symbol("airlock.preciseHttpErrors");

type RawDescriptor = { openAt: (...args: unknown[]) => { readViaStream: (offset: bigint) => unknown } };

/** A factory of empty input streams, made with the shim's own (not yet confined) file API. */
function emptyInputStream(descriptorClass: { prototype: RawDescriptor }): () => unknown {
  const openAt = descriptorClass.prototype.openAt;
  const dev = _createPreopenDescriptor("/dev") as unknown as RawDescriptor;
  return () => openAt.call(dev, { symlinkFollow: false }, "null", {}, { read: true }).readViaStream(0n);
}
