// The built-in MCP tools (names and arguments as in Wassette): manage components and their
// permissions from the agent's side. Each change is written to the store or the policy file
// and takes effect on the next call, without a restart.
import { createValidator, formatProblems, type Validator } from "@airlock/schema";
import type { CallToolResult, Tool } from "@modelcontextprotocol/server";
import type { ComponentHost } from "../component-host.js";
import { UserError } from "../errors.js";
import {
  applyGrant,
  applyRevoke,
  changePolicy,
  normalizeHost,
  missingPathWarning,
  refuseAirlockHome,
  resetPermissions,
  storagePath,
  type GrantRequest,
  type RevokeRequest,
} from "../policy/grant-operations.js";
import type { Access, Policy } from "../policy/policy.js";
import { policyToYaml } from "../policy/policy-store.js";
import { loadComponentFile } from "../store/load-component.js";
import { refuseWhenManaged } from "../store/managed-store.js";

type Args = Record<string, unknown>;

interface BuiltinTool {
  definition: Tool;
  run(host: ComponentHost, args: Args): Promise<{ text: string; data?: Record<string, unknown>; changes?: ComponentChanges }>;
}

const id = { component_id: { type: "string", description: "The component's id, as list-components shows it" } };
const schema = (properties: Record<string, unknown>, required: string[]): Tool["inputSchema"] => ({
  type: "object",
  properties: properties as NonNullable<Tool["inputSchema"]["properties"]>,
  required,
  additionalProperties: false,
});
const detailsOf = (properties: Record<string, unknown>, required: string[]) => ({ details: { type: "object", properties, required, additionalProperties: false } });
const str = (args: Args, key: string) => String(args[key]);
const details = (args: Args) => args.details as Args;

async function requireComponent(host: ComponentHost, componentId: string): Promise<void> {
  if (!(await host.store.get(componentId))) throw new UserError(`no component "${componentId}": list-components shows what is loaded`);
}

/** A tool that changes one component's policy and answers with the policy as it is now. */
function policyTool(
  name: string,
  description: string,
  props: Record<string, unknown>,
  required: string[],
  change: (details: Args, host: ComponentHost, componentId: string) => (policy: Policy) => Policy,
  warning: (details: Args) => string | undefined = () => undefined,
): BuiltinTool {
  return {
    definition: { name, description, inputSchema: schema({ ...id, ...detailsOf(props, required) }, ["component_id", "details"]) },
    async run(host, args) {
      const componentId = str(args, "component_id");
      await requireComponent(host, componentId);
      const policy = await changePolicy(host.policies, componentId, change(details(args), host, componentId));
      const warned = warning(details(args));
      return { text: `${warned ? `warning: ${warned}\n` : ""}${componentId}'s policy is now:\n${policyToYaml(policy)}`, data: { component_id: componentId, policy } };
    },
  };
}

const grantTool = (name: string, description: string, props: Record<string, unknown>, required: string[], toRequest: (d: Args) => GrantRequest) =>
  policyTool(
    name,
    description,
    props,
    required,
    (d, host) => {
      const request = toRequest(d);
      if (request.kind === "storage") refuseAirlockHome(request.path, host.homeRoot);
      return (p) => applyGrant(p, request);
    },
    (d) => {
      const request = toRequest(d);
      return request.kind === "storage" ? missingPathWarning(request.path) : undefined;
    },
  );

const revokeTool = (name: string, description: string, props: Record<string, unknown>, required: string[], toRequest: (d: Args) => RevokeRequest) =>
  policyTool(name, description, props, required, (d, _host, componentId) => {
    const request = toRequest(d);
    // A revoke that matches no grant is an error naming what is granted, never a silent no-op.
    return (p) => applyRevoke(p, request, componentId);
  });

const uri = { uri: { type: "string", description: "A directory, as fs:///absolute/path" } };
const host = { host: { type: "string", description: "A host name: api.github.com, *.wikipedia.org for subdomains, localhost:8080 for a port" } };
const key = { key: { type: "string", description: "An environment variable name" } };

export const BUILTIN_TOOLS: BuiltinTool[] = [
  {
    definition: {
      name: "load-component",
      description:
        "Load a WebAssembly component and offer its exports as tools: a file:// URI or absolute path, oci://registry/repo:tag, oci://registry/repo@sha256:<digest>, or https://.../x.wasm#sha256=<hex>. It gets no permissions until granted.",
      inputSchema: schema(
        { path: { type: "string", description: "file:///path/to/component.wasm, an absolute path, oci://registry/repo:tag or oci://registry/repo@sha256:..., or https://...#sha256=<hex>" } },
        ["path"],
      ),
    },
    async run(h, args) {
      const { entry, tools } = await loadComponentFile(h, str(args, "path"), undefined, { viaMcp: true });
      await h.loadOne(entry.id);
      const origin = entry.digest ? ` from ${entry.source} (${entry.digest}${entry.signedBy ? `, signed by ${entry.signedBy}` : ""})` : "";
      const requested = entry.requested ? "; the publisher requests permissions, not granted: get-policy shows them" : "";
      return {
        text: `loaded ${entry.id} with ${tools.length} tool(s): ${tools.join(", ")}${origin}${requested}`,
        data: { id: entry.id, tools, ...(entry.digest ? { digest: entry.digest } : {}), ...(entry.signedBy ? { signedBy: entry.signedBy } : {}) },
        changes: { loaded: [entry.id] },
      };
    },
  },
  {
    definition: { name: "unload-component", description: "Remove a component and its tools.", inputSchema: schema({ id: { type: "string" } }, ["id"]) },
    async run(h, args) {
      const componentId = str(args, "id");
      await requireComponent(h, componentId);
      await refuseWhenManaged(h.homeRoot, `unloading ${componentId}`);
      // Out of the store first: a store watcher that listed it a moment ago would otherwise
      // find it on disk but not in memory, and load it again.
      await h.store.remove(componentId);
      await h.unloadOne(componentId);
      await h.policies.remove(componentId);
      return { text: `unloaded ${componentId}`, data: { id: componentId }, changes: { unloaded: [componentId] } };
    },
  },
  {
    definition: {
      name: "list-components",
      description: "List loaded components with their tools, sha256 digests, sources and, for oci:// sources, the manifest digest the reference resolved to.",
      inputSchema: schema({}, []),
    },
    async run(h) {
      const components = h.componentIds().map((componentId) => {
        const c = h.component(componentId)!;
        const { sha256, source, digest, signedBy } = c.entry;
        return { id: componentId, sha256, source, ...(digest ? { digest } : {}), ...(signedBy ? { signedBy } : {}), tools: c.tools.map((t) => t.name) };
      });
      return { text: JSON.stringify(components, null, 2), data: { components } };
    },
  },
  {
    definition: {
      name: "get-policy",
      description: "Show a component's effective policy: everything it is granted; and, separately, what its publisher requests (never granted until the user grants it).",
      inputSchema: schema(id, ["component_id"]),
    },
    async run(h, args) {
      const componentId = str(args, "component_id");
      await requireComponent(h, componentId);
      const policy = await h.policies.read(componentId);
      const requested = (await h.store.get(componentId))?.requested;
      if (!requested) return { text: policyToYaml(policy), data: { component_id: componentId, policy } };
      return {
        text: `${policyToYaml(policy)}# requested by the publisher, NOT granted:\n${policyToYaml(requested).trimEnd().replace(/^/gm, "# ")}`,
        data: { component_id: componentId, policy, requested },
      };
    },
  },
  grantTool(
    "grant-storage-permission",
    "Let a component read (or write) a directory; it sees it at the same path.",
    { ...uri, access: { type: "array", items: { enum: ["read", "write"] }, minItems: 1, uniqueItems: true } },
    ["uri", "access"],
    (d) => ({
      kind: "storage",
      path: storagePath(str(d, "uri"), { allowRelative: false }),
      access: d.access as Access[],
    }),
  ),
  grantTool("grant-network-permission", "Let a component send HTTP requests to a host.", host, ["host"], (d) => ({ kind: "network", host: normalizeHost(str(d, "host")) })),
  grantTool("grant-environment-variable-permission", "Let a component read one environment variable.", key, ["key"], (d) => ({ kind: "environment", key: str(d, "key") })),
  revokeTool("revoke-storage-permission", "Take back a directory grant.", uri, ["uri"], (d) => ({ kind: "storage", path: storagePath(str(d, "uri"), { allowRelative: false }) })),
  revokeTool("revoke-network-permission", "Take back a host grant.", host, ["host"], (d) => ({ kind: "network", host: normalizeHost(str(d, "host")) })),
  revokeTool("revoke-environment-variable-permission", "Take back an environment variable grant.", key, ["key"], (d) => ({ kind: "environment", key: str(d, "key") })),
  {
    definition: { name: "reset-permission", description: "Take back every grant of a component.", inputSchema: schema(id, ["component_id"]) },
    async run(h, args) {
      const componentId = str(args, "component_id");
      await requireComponent(h, componentId);
      const policy = await changePolicy(h.policies, componentId, resetPermissions);
      return { text: `every grant of ${componentId} revoked`, data: { component_id: componentId, policy } };
    },
  },
];

export function findBuiltin(name: string): BuiltinTool | undefined {
  return BUILTIN_TOOLS.find((t) => t.definition.name === name);
}

/** The components a built-in tool loaded or unloaded, for the host's event path (host-events.ts). */
export interface ComponentChanges {
  loaded?: string[];
  unloaded?: string[];
}

/** Each built-in's validator, compiled on its first call (it was compiled again at every call). */
const validators = new WeakMap<BuiltinTool, Validator>();

function validatorOf(tool: BuiltinTool): Validator {
  let validator = validators.get(tool);
  if (!validator) validators.set(tool, (validator = createValidator(tool.definition.inputSchema, { ownSchema: true })));
  return validator;
}

export async function runBuiltin(host: ComponentHost, tool: BuiltinTool, args: Args): Promise<{ result: CallToolResult; changes?: ComponentChanges }> {
  const problems = validatorOf(tool)(args);
  if (problems.length > 0) {
    return { result: { content: [{ type: "text", text: `invalid arguments for ${tool.definition.name}: ${formatProblems(problems)}` }], isError: true } };
  }
  try {
    const { text, data, changes } = await tool.run(host, args);
    return { result: { content: [{ type: "text", text }], ...(data ? { structuredContent: data } : {}) }, ...(changes ? { changes } : {}) };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { result: { content: [{ type: "text", text: error.message }], isError: true } };
  }
}
