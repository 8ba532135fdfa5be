// A guest's sampling or elicitation request, sent to the client as part of the running call (a
// 2025-era connection: the server asks, the client answers on the same session). A 2026-07-28
// request cannot be asked anything mid-call: mrtr.ts replays the call instead.
import { specTypeSchemas, type Server, type ServerContext } from "@modelcontextprotocol/server";
import { MAX_CLIENT_REQUEST_CHARS } from "../executor/protocol.js";
import { depthAtMost, MAX_NESTING } from "../executor/value-size.js";

export const MAX_CLIENT_REQUESTS_PER_CALL = 16;

export type ClientRequestMethod = "sampling/createMessage" | "elicitation/create";

/**
 * The params must be valid MCP params, and may not reach past the sandbox: no context from other
 * servers in sampling, and no URL-mode elicitation (a URL the user opens would carry data out
 * of a component that has no network grant).
 */
export async function askClient(server: Server, ctx: ServerContext, method: ClientRequestMethod, paramsJson: string, signal: AbortSignal): Promise<string> {
  const capability = capabilityFor(method);
  // The capabilities declared at initialize (the only place a 2025-era client declares them).
  if (!server.getClientCapabilities()?.[capability]) {
    throw new Error(`the MCP client does not support ${capability}: it did not declare the capability when it connected`);
  }
  const clean = checkedParams(method, paramsJson);
  try {
    return JSON.stringify(await ctx.mcpReq.send({ method, params: clean }, { signal }));
  } catch (error) {
    throw new Error(`the client answered ${method} with an error: ${(error as Error).message}`, { cause: error });
  }
}

/** The client capability a request needs. */
export const capabilityFor = (method: ClientRequestMethod) => (method === "sampling/createMessage" ? "sampling" : "elicitation");

/** The params as the client gets them: only the protocol's own fields (no _meta or task from the guest). */
export function checkedParams(method: ClientRequestMethod, paramsJson: string): Record<string, unknown> {
  if (paramsJson.length > MAX_CLIENT_REQUEST_CHARS) throw new Error(`the ${method} params are over ${MAX_CLIENT_REQUEST_CHARS} characters`);
  let params: Record<string, unknown>;
  try {
    params = JSON.parse(paramsJson) as Record<string, unknown>;
    if (!depthAtMost(params, MAX_NESTING)) throw new Error(`nested deeper than ${MAX_NESTING} levels`);
  } catch (error) {
    throw new Error(`the ${method} params are not usable JSON: ${(error as Error).message}`, { cause: error });
  }
  const schema = method === "sampling/createMessage" ? specTypeSchemas.CreateMessageRequest : specTypeSchemas.ElicitRequest;
  const checked = schema["~standard"].validate({ method, params });
  if (checked.issues) {
    const path = (issue: (typeof checked.issues)[number]) => (issue.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join(".");
    throw new Error(`the ${method} params are not valid MCP params: ${checked.issues.map((i) => `${path(i)}: ${i.message}`).join("; ")}`);
  }
  if (params.includeContext !== undefined && params.includeContext !== "none") {
    throw new Error(`includeContext "${String(params.includeContext)}" is not allowed: a sandboxed component may not ask for context from other servers`);
  }
  if (params.mode !== undefined && params.mode !== "form") {
    throw new Error(`elicitation mode "${String(params.mode)}" is not allowed: only form elicitation (a URL could carry data out of the sandbox)`);
  }
  const { _meta: _ignoredMeta, task: _ignoredTask, ...clean } = params;
  return clean;
}
