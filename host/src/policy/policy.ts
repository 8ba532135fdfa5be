// A component's policy (Wassette policy v1 format): what the user granted it. Pure values and
// functions; policy-store.ts reads and writes the files.
import { realpathSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { UserError } from "../errors.js";
export type Access = "read" | "write";

export interface Policy {
  version: "1.0";
  description?: string;
  permissions?: {
    storage?: { allow?: { uri: string; access: Access[] }[] };
    /** allow_private: granted names may resolve to loopback, private or link-local addresses. */
    network?: { allow?: { host: string }[]; allow_private?: boolean };
    environment?: { allow?: { key: string }[] };
    resources?: { limits?: { memory?: string; timeout?: string } };
  };
}

export const EMPTY_POLICY: Policy = { version: "1.0" };

/** What the sandbox of one component gets, derived from its policy. */
export interface Grants {
  /** Granted directories (absolute host paths; the guest sees each at the same path). */
  storage: { path: string; write: boolean }[];
  /** Granted hosts: `example.com`, `*.example.com`, `example.com:8443`. */
  network: string[];
  /** Whether granted names may lead to loopback, private or link-local addresses. */
  privateNetwork: boolean;
  /** Granted environment variable names. */
  environment: string[];
}

/**
 * What the sandbox gets. Every storage URI is normalized, as at grant time, so a hand-edited
 * `fs:///x//g/` is the directory /x/g; two entries naming one directory become one grant, writable
 * if either is (the sandbox preopens each directory once).
 */
export function grantsOf(policy: Policy): Grants {
  const p = policy.permissions ?? {};
  const storage = new Map<string, boolean>();
  for (const g of p.storage?.allow ?? []) {
    const path = pathOfUri(g.uri);
    storage.set(path, (storage.get(path) ?? false) || g.access.includes("write"));
  }
  return {
    storage: [...storage].map(([path, write]) => ({ path, write })),
    network: (p.network?.allow ?? []).map((g) => g.host),
    privateNetwork: p.network?.allow_private === true,
    environment: (p.environment?.allow ?? []).map((g) => g.key),
  };
}

/** Whether `path` is `root` or lies under it (`/data` holds `/data/x`, never `/data2`). */
export function isWithin(path: string, root: string): boolean {
  return path === root || path.startsWith(root === "/" ? "/" : `${root}/`);
}

/**
 * Whether a granted path and Airlock's own store overlap, as written or as they really resolve:
 * a symlink in either (a home reached through a link, a grant of the link's target) must not
 * hide the overlap. A path that does not exist yet is resolved through its nearest parent.
 */
export function overlapsHome(path: string, homeRoot: string): boolean {
  const forms = (p: string) => [...new Set([p, canonical(p)])];
  return forms(path).some((p) => forms(homeRoot).some((h) => isWithin(p, h) || isWithin(h, p)));
}

function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(canonical(parent), basename(path));
  }
}

/**
 * A path in its one canonical form, so that grant, revoke and the sandbox agree on which
 * directory is meant: `//` collapsed, `.` segments and trailing slashes dropped (`/a//./b/` ->
 * `/a/b`). A `..` segment is refused, never resolved: it would name a directory other than the
 * one written. A relative path stays relative (callers refuse it).
 */
export function normalizePath(path: string, shown: string = path): string {
  const segments = path.split("/");
  if (segments.includes("..")) throw new UserError(`"${shown}" contains "..": name the directory itself`);
  const kept = segments.filter((s) => s !== "" && s !== ".").join("/");
  return path.startsWith("/") ? `/${kept}` : kept;
}

/** `fs:///home/me//notes/` (or `file://...`) -> `/home/me/notes`, normalized; `..` is refused. */
export function pathOfUri(uri: string): string {
  let path: string;
  try {
    path = decodeURI(uri.replace(/^(fs|file):\/\//i, ""));
  } catch {
    throw new UserError(`"${uri}" is not a valid URI (a % not followed by two hex digits)`);
  }
  return normalizePath(path, uri);
}

/** `/home/me/notes` -> `fs:///home/me/notes`; give it a normalized path for the canonical URI. */
export function uriOfPath(path: string): string {
  return `fs://${encodeURI(path)}`;
}

/** The storage entries, each URI rewritten in canonical form (a hand-edited `fs:///x//g/` -> `fs:///x/g`). */
function canonicalStorage(policy: Policy): { uri: string; access: Access[] }[] {
  return (policy.permissions?.storage?.allow ?? []).map((g) => ({ ...g, uri: uriOfPath(pathOfUri(g.uri)) }));
}

export function grantStorage(policy: Policy, path: string, access: Access[]): Policy {
  const target = normalizePath(path);
  const allow = canonicalStorage(policy).filter((g) => pathOfUri(g.uri) !== target);
  return withPermissions(policy, { storage: { allow: [...allow, { uri: uriOfPath(target), access: [...new Set(access)].sort() as Access[] }] } });
}

/** Drops every entry naming `path`, however its URI is written; see hasStorageGrant to know whether one did. */
export function revokeStorage(policy: Policy, path: string): Policy {
  const target = normalizePath(path);
  const allow = canonicalStorage(policy).filter((g) => pathOfUri(g.uri) !== target);
  return withPermissions(policy, { storage: { allow } });
}

export function hasStorageGrant(policy: Policy, path: string): boolean {
  const target = normalizePath(path);
  return (policy.permissions?.storage?.allow ?? []).some((g) => pathOfUri(g.uri) === target);
}

export function grantNetwork(policy: Policy, host: string): Policy {
  const allow = (policy.permissions?.network?.allow ?? []).filter((g) => g.host !== host);
  return withPermissions(policy, { network: { ...policy.permissions?.network, allow: [...allow, { host }] } });
}

export function revokeNetwork(policy: Policy, host: string): Policy {
  return withPermissions(policy, { network: { ...policy.permissions?.network, allow: (policy.permissions?.network?.allow ?? []).filter((g) => g.host !== host) } });
}

export function grantEnvironment(policy: Policy, key: string): Policy {
  const allow = (policy.permissions?.environment?.allow ?? []).filter((g) => g.key !== key);
  return withPermissions(policy, { environment: { allow: [...allow, { key }] } });
}

export function revokeEnvironment(policy: Policy, key: string): Policy {
  return withPermissions(policy, { environment: { allow: (policy.permissions?.environment?.allow ?? []).filter((g) => g.key !== key) } });
}

/** Drops every grant, keeping the description and the resource limits. */
export function resetPermissions(policy: Policy): Policy {
  const limits = policy.permissions?.resources;
  return { version: "1.0", ...(policy.description ? { description: policy.description } : {}), ...(limits ? { permissions: { resources: limits } } : {}) };
}

function withPermissions(policy: Policy, change: NonNullable<Policy["permissions"]>): Policy {
  const permissions = { ...policy.permissions, ...change };
  for (const key of ["storage", "network", "environment"] as const) {
    if (permissions[key] && (permissions[key]!.allow ?? []).length === 0) delete permissions[key];
  }
  // No grants left: no `permissions: {}` either, the policy reads as empty as it is.
  if (Object.keys(permissions).length === 0) {
    const { permissions: _, ...rest } = policy;
    return rest;
  }
  return { ...policy, permissions };
}

/** "256Mi" -> bytes. */
export function parseMemory(text: string): number {
  const match = /^(\d+)(Ki|Mi|Gi)?$/.exec(text);
  if (!match) throw new Error(`invalid memory size "${text}"`);
  const unit = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[match[2] as "Ki" | "Mi" | "Gi"] ?? 1;
  return Number(match[1]) * unit;
}

/** "30s" -> milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text);
  if (!match) throw new Error(`invalid duration "${text}"`);
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2] as "ms" | "s" | "m"];
}
