// Grant and revoke, shared by the CLI and the built-in MCP tools: validate the request, change
// the policy, write it back. The running host notices the new policy on the next call.
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { UserError } from "../errors.js";
import {
  grantsOf,
  grantEnvironment,
  isWithin,
  overlapsHome,
  grantNetwork,
  grantStorage,
  hasStorageGrant,
  normalizePath,
  pathOfUri,
  resetPermissions,
  revokeEnvironment,
  revokeNetwork,
  revokeStorage,
  type Access,
  type Policy,
} from "./policy.js";
import type { PolicyStore } from "./policy-store.js";

export type GrantRequest = { kind: "storage"; path: string; access: Access[] } | { kind: "network"; host: string } | { kind: "environment"; key: string };

export type RevokeRequest = { kind: "storage"; path: string } | { kind: "network"; host: string } | { kind: "environment"; key: string };

/**
 * `fs:///data`, `file:///data` or a path -> `/data`, normalized (`fs:///data//x/./` -> `/data/x`)
 * so that a grant, its revoke and the sandbox all name one directory the same way; `..` in a URI
 * is refused. A relative path is resolved against the current directory only where
 * `allowRelative` says so (the CLI); over MCP it is refused, since the server's directory means
 * nothing to the client.
 */
export function storagePath(uriOrPath: string, options: { allowRelative?: boolean } = { allowRelative: true }): string {
  const isUri = /^(fs|file):\/\//i.test(uriOrPath);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uriOrPath) && !isUri) {
    throw new UserError(`"${uriOrPath}" is not a directory: give an fs:///absolute/path URI or an absolute path`);
  }
  if (!options.allowRelative && !isUri && !isAbsolute(uriOrPath)) {
    throw new UserError(`"${uriOrPath}" is not absolute: give an fs:///absolute/path URI or an absolute path`);
  }
  const path = isUri ? pathOfUri(uriOrPath) : normalizePath(resolve(uriOrPath), uriOrPath);
  if (!isAbsolute(path)) throw new UserError(`"${uriOrPath}" is not an absolute path or fs:/// URI`);
  return path;
}

export function parseAccess(text: string): Access[] {
  const access = text.split(",").map((a) => a.trim());
  for (const a of access) if (a !== "read" && a !== "write") throw new UserError(`unknown access "${a}": use read, write or read,write`);
  return access as Access[];
}

export function normalizeHost(host: string): string {
  const lower = host.trim().toLowerCase().replace(/\.$/, "");
  if (!/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$/.test(lower)) {
    throw new UserError(`"${host}" is not a host name: give a name like api.github.com, *.wikipedia.org or localhost:8080 (no scheme, no path)`);
  }
  if (lower.startsWith("*.") && !lower.slice(2).replace(/:\d+$/, "").includes(".")) {
    throw new UserError(`"${host}" would grant a whole top-level domain: name a domain with at least two labels, such as *.example.com`);
  }
  return lower;
}

/**
 * A storage grant of a path that does not exist is most often a typo: the grant would silently
 * never match. Said, not refused (a directory may be made later), unless the caller is strict.
 */
export function missingPathWarning(path: string): string | undefined {
  return existsSync(path) ? undefined : `${path} does not exist (yet): the grant takes effect once it does; check the path for a typo`;
}

/** A grant must not reach Airlock's own state: a guest could rewrite its own policy there. */
export function refuseAirlockHome(path: string, homeRoot: string): void {
  if (overlapsHome(path, homeRoot)) {
    throw new UserError(`${path} contains or is inside Airlock's own store (${homeRoot}); grant a directory outside it`);
  }
}

/**
 * A read-only grant inside a writable one would mean nothing (the component can write there
 * through the outer grant): refuse the combination rather than pretend.
 */
function refuseMootReadOnly(policy: Policy, path: string, access: Access[]): void {
  const inside = (p: string, root: string) => p !== root && isWithin(p, root);
  const writes = access.includes("write");
  for (const grant of grantsOf(policy).storage) {
    if (!writes && grant.write && inside(path, grant.path)) {
      throw new UserError(
        `${path} is inside ${grant.path}, which is granted read and write: a read-only grant inside it would not stop writes; revoke ${grant.path} first or grant ${path} read and write`,
      );
    }
    if (writes && !grant.write && inside(grant.path, path)) {
      throw new UserError(`${path} contains ${grant.path}, which is granted read only: write access to ${path} would cover it; revoke ${grant.path} first`);
    }
  }
}

export function applyGrant(policy: Policy, request: GrantRequest): Policy {
  switch (request.kind) {
    case "storage": {
      const path = normalizePath(request.path);
      refuseMootReadOnly(policy, path, request.access);
      return grantStorage(policy, path, request.access);
    }
    case "network":
      return grantNetwork(policy, request.host);
    case "environment":
      return grantEnvironment(policy, request.key);
  }
}

/**
 * Takes a grant back. A revoke that matches no grant fails, saying what is granted: answering
 * "revoked" while a grant stays (a path written differently, a parent directory granted instead)
 * would leave the user believing access is gone.
 */
export function applyRevoke(policy: Policy, request: RevokeRequest, componentId?: string): Policy {
  const notGranted = (what: string, target: string, granted: string[]) =>
    new UserError(
      `${componentId === undefined ? "the component" : `"${componentId}"`} has no ${what} grant for ${target}; ${granted.length > 0 ? `its ${what} grants are: ${granted.join(", ")}` : `it has no ${what} grants`}`,
    );
  const p = policy.permissions ?? {};
  switch (request.kind) {
    case "storage": {
      if (!hasStorageGrant(policy, request.path)) {
        const granted = (p.storage?.allow ?? []).map((g) => `${pathOfUri(g.uri)} (${[...g.access].sort().join(", ")})`);
        throw notGranted("storage", normalizePath(request.path), granted);
      }
      return revokeStorage(policy, request.path);
    }
    case "network": {
      const granted = (p.network?.allow ?? []).map((g) => g.host);
      if (!granted.includes(request.host)) throw notGranted("network", request.host, granted);
      return revokeNetwork(policy, request.host);
    }
    case "environment": {
      const granted = (p.environment?.allow ?? []).map((g) => g.key);
      if (!granted.includes(request.key)) throw notGranted("environment variable", request.key, granted);
      return revokeEnvironment(policy, request.key);
    }
  }
}

export function changePolicy(store: PolicyStore, id: string, change: (policy: Policy) => Policy): Promise<Policy> {
  return store.serialize(id, async () => {
    await store.guardChange();
    const next = change(await store.read(id));
    await store.write(id, next);
    return next;
  });
}

export { resetPermissions };
