// airlock grant | revoke | policy: a component's permissions and what it did with them.
import { ComponentHost } from "../component-host.js";
import { UsageError, UserError } from "../errors.js";
import { airlockHome } from "../home.js";
import { policyToYaml } from "../policy/policy-store.js";
import {
  applyGrant,
  applyRevoke,
  changePolicy,
  missingPathWarning,
  normalizeHost,
  parseAccess,
  refuseAirlockHome,
  storagePath,
  type GrantRequest,
  type RevokeRequest,
} from "../policy/grant-operations.js";
import { airlockCommand } from "../cli-command.js";

const GRANT_USAGE = "usage: airlock grant <id> storage <path> --access read[,write] [--strict] | airlock grant <id> network <host> | airlock grant <id> env <KEY>";
const REVOKE_USAGE = "usage: airlock revoke <id> storage <path> | airlock revoke <id> network <host> | airlock revoke <id> env <KEY> | airlock revoke <id> all";

async function existing(id: string | undefined, usage: string): Promise<{ host: ComponentHost; id: string }> {
  if (!id) throw new UsageError(usage);
  const host = new ComponentHost({ home: airlockHome() });
  if (!(await host.store.get(id))) throw new UserError(`no component "${id}" in the store: airlock list shows what is loaded`);
  return { host, id };
}

function request(kind: string | undefined, target: string | undefined, access: string | undefined, usage: string): GrantRequest {
  if (!target) throw new UsageError(usage);
  switch (kind) {
    case "storage":
      return { kind: "storage", path: storagePath(target), access: parseAccess(access ?? "read") };
    case "network":
      return { kind: "network", host: normalizeHost(target) };
    case "env":
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(target)) throw new UserError(`"${target}" is not an environment variable name`);
      return { kind: "environment", key: target };
    default:
      throw new UsageError(usage);
  }
}

export async function grant(argv: string[]): Promise<void> {
  const strict = argv.includes("--strict");
  const args = argv.filter((a) => a !== "--strict");
  const accessIndex = args.indexOf("--access");
  const access = accessIndex === -1 ? undefined : args[accessIndex + 1];
  if (accessIndex !== -1 && (!access || access.startsWith("--"))) throw new UsageError("--access needs a value: read, write or read,write");
  const positional = accessIndex === -1 ? args : [...args.slice(0, accessIndex), ...args.slice(accessIndex + 2)];
  const [id, kind, target, ...rest] = positional;
  if (rest.length > 0 || (accessIndex !== -1 && kind !== "storage")) throw new UsageError(GRANT_USAGE);
  const { host } = await existing(id, GRANT_USAGE);
  const grantRequest = request(kind, target, access, GRANT_USAGE);
  if (strict && kind !== "storage") throw new UsageError("--strict only applies to storage grants: it refuses a path that does not exist");
  if (grantRequest.kind === "storage") {
    refuseAirlockHome(grantRequest.path, airlockHome().root);
    const missing = missingPathWarning(grantRequest.path);
    if (missing && strict) throw new UserError(`${grantRequest.path} does not exist; nothing was granted (--strict)`);
    if (missing) console.error(`airlock: warning: ${missing}`);
  }
  await changePolicy(host.policies, id!, (p) => applyGrant(p, grantRequest));
  console.log(`granted ${id} ${describe(grantRequest)}`);
}

export async function revoke(args: string[]): Promise<void> {
  const [id, kind, target, ...rest] = args;
  if (rest.length > 0) throw new UsageError(REVOKE_USAGE);
  const { host } = await existing(id, REVOKE_USAGE);
  if (kind === "all") {
    const { resetPermissions } = await import("../policy/grant-operations.js");
    await changePolicy(host.policies, id!, resetPermissions);
    console.log(`revoked every grant of ${id}`);
    return;
  }
  const parsed = request(kind, target, undefined, REVOKE_USAGE);
  const revokeRequest: RevokeRequest = parsed.kind === "storage" ? { kind: "storage", path: parsed.path } : parsed;
  await changePolicy(host.policies, id!, (p) => applyRevoke(p, revokeRequest, id));
  // Name what was revoked without the access parsing filled in: a revoke takes the whole grant.
  console.log(`revoked ${id} ${parsed.kind === "storage" ? `storage ${parsed.path}` : describe(parsed)}`);
}

export async function policy(args: string[]): Promise<void> {
  if (args.length !== 1) throw new UsageError("usage: airlock policy <id>");
  const { host, id } = await existing(args[0], "usage: airlock policy <id>");
  console.log(`# ${host.policies.file(id)}\n${policyToYaml(await host.policies.read(id))}`);
  const requested = (await host.store.get(id))?.requested;
  if (requested) console.log(`# requested by the publisher, NOT granted (grant what you agree to with ${airlockCommand()} grant):\n${policyToYaml(requested).trimEnd().replace(/^/gm, "# ")}`);
}

function describe(r: GrantRequest): string {
  return r.kind === "storage" ? `storage ${r.path} (${r.access.join(", ")})` : r.kind === "network" ? `network ${r.host}` : `env ${r.key}`;
}
