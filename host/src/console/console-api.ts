// The console's JSON API, built on the functions the CLI and the built-in MCP tools use: grants
// go through changePolicy/applyGrant/applyRevoke (so a store managed by a deployment file refuses
// them with its own message), calls through host.callTool and toCallToolResult, history through
// the audit log's reader. Every string a component chose is sent as JSON data, never as markup.
import express, { type Response, type Router } from "express";
import type { ComponentHost } from "../component-host.js";
import { UserError } from "../errors.js";
import { toCallToolResult } from "../mcp/call-result.js";
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
import { grantsOf, type Grants, type Policy } from "../policy/policy.js";
import { policyToYaml } from "../policy/policy-store.js";
import { managedBy } from "../store/managed-store.js";

/** Audit records per page when the client names no limit, and the most it may ask for. */
const PAGE = { default: 50, max: 500 };

export function consoleApi(host: ComponentHost): Router {
  const api = express.Router();
  api.use(express.json({ limit: "16mb" }));

  api.get("/components", (_req, res) => {
    const components = host.componentIds().map((id) => {
      const c = host.component(id)!;
      const { source, sha256, digest, signedBy, size, loadedAt, requested } = c.entry;
      const offered = c.description.offered;
      return {
        id,
        source,
        sha256,
        ...(digest ? { digest } : {}),
        signature: signedBy ? { verified: true, signer: signedBy } : { verified: false },
        version: packageVersion(c.description.wit),
        size,
        loadedAt,
        imports: c.description.imports,
        requests: requested !== undefined,
        tools: c.tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema, ...(t.outputSchema ? { outputSchema: t.outputSchema } : {}) })),
        resources: [...(offered?.resources ?? []), ...(offered?.templates ?? [])],
        prompts: offered?.prompts ?? [],
      };
    });
    res.json({ components });
  });

  api.get("/policy/:id", async (req, res) => {
    const id = String(req.params.id);
    await handle(res, async () => {
      const entry = await host.store.get(id);
      if (!entry) throw new NotFound(`no component "${id}": the Components page lists what is loaded`);
      const policy = await host.policies.read(id);
      const granted = grantsOf(policy);
      const requested = entry.requested ? grantsOf(entry.requested) : undefined;
      return {
        component: id,
        policy,
        yaml: policyToYaml(policy),
        granted,
        limits: policy.permissions?.resources?.limits ?? {},
        ...(requested ? { requested, diff: diffGrants(requested, granted) } : {}),
        managedBy: (await managedBy(host.homeRoot)) ?? null,
      };
    });
  });

  // What a grant or revoke would change, without changing it: the confirmation shows this.
  api.post("/preview", async (req, res) => {
    await handle(res, async () => {
      const { id, change } = await changeOf(host, req.body);
      const before = await host.policies.read(id);
      const after = change(before);
      return { component: id, before: policyToYaml(before), after: policyToYaml(after), ...warningOf(req.body) };
    });
  });

  api.post("/grants", async (req, res) => {
    await handle(res, async () => {
      const { id, change } = await changeOf(host, req.body);
      const policy = await changePolicy(host.policies, id, change);
      return { component: id, policy, yaml: policyToYaml(policy), ...warningOf(req.body) };
    });
  });

  api.get("/audit", async (req, res) => {
    await handle(res, async () => {
      const filter = {
        component: stringParam(req.query.component),
        tool: stringParam(req.query.tool),
        decision: stringParam(req.query.decision),
      };
      const offset = Math.max(0, Number(req.query.offset ?? 0) || 0);
      const limit = Math.min(PAGE.max, Math.max(1, Number(req.query.limit ?? PAGE.default) || PAGE.default));
      const { entries, damaged } = await host.audit.read(filter.component);
      const matching = entries.filter((e) => (!filter.tool || e.tool.includes(filter.tool)) && (!filter.decision || (filter.decision === "denied") === !e.allowed)).reverse();
      return { entries: matching.slice(offset, offset + limit), total: matching.length, offset, damaged: damaged.length };
    });
  });

  api.post("/call", async (req, res) => {
    await handle(res, async () => {
      const body = (req.body ?? {}) as { tool?: unknown; arguments?: unknown };
      if (typeof body.tool !== "string" || !host.catalog.get(body.tool)) throw new NotFound(`no tool "${String(body.tool)}": the Components page lists the tools`);
      const args = body.arguments ?? {};
      if (typeof args !== "object" || args === null || Array.isArray(args)) throw new UserError("arguments must be a JSON object");
      const started = performance.now();
      const outcome = await host.callTool(body.tool, args as Record<string, unknown>, {}, { client: "console" });
      return { result: toCallToolResult(outcome), durationMs: Math.round(performance.now() - started) };
    });
  });

  return api;
}

class NotFound extends UserError {}

/** Answers with the value, or with a UserError's message (400, 404 for a missing thing); anything else is a 500. */
async function handle(res: Response, work: () => Promise<unknown>): Promise<void> {
  try {
    res.json(await work());
  } catch (error) {
    if (error instanceof NotFound) res.status(404).json({ error: error.message });
    else if (error instanceof UserError) res.status(400).json({ error: error.message });
    else res.status(500).json({ error: `the console could not do this: ${(error as Error).message}` });
  }
}

type ChangeBody = { component?: unknown; action?: unknown; kind?: unknown; target?: unknown; access?: unknown };

/** A grant or revoke request from the page, validated as the MCP tools validate theirs. */
async function changeOf(host: ComponentHost, body: ChangeBody): Promise<{ id: string; change: (policy: Policy) => Policy }> {
  const id = typeof body?.component === "string" ? body.component : "";
  if (!(await host.store.get(id))) throw new NotFound(`no component "${id}": the Components page lists what is loaded`);
  if (body.action !== "grant" && body.action !== "revoke") throw new UserError(`action must be "grant" or "revoke"`);
  if (typeof body.target !== "string" || body.target.trim() === "") throw new UserError("name what to grant or revoke: a directory, a host or an environment variable");
  const request = requestOf(body);
  if (body.action === "revoke") return { id, change: (p) => applyRevoke(p, request as RevokeRequest, id) };
  if (request.kind === "storage") refuseAirlockHome(request.path, host.homeRoot);
  return { id, change: (p) => applyGrant(p, request as GrantRequest) };
}

function requestOf(body: ChangeBody): GrantRequest | RevokeRequest {
  const target = String(body.target);
  switch (body.kind) {
    case "storage": {
      const path = storagePath(target, { allowRelative: false });
      if (body.action === "revoke") return { kind: "storage", path };
      const access = Array.isArray(body.access) ? body.access.join(",") : String(body.access ?? "read");
      return { kind: "storage", path, access: parseAccess(access) };
    }
    case "network":
      return { kind: "network", host: normalizeHost(target) };
    case "environment":
      return { kind: "environment", key: target };
    default:
      throw new UserError(`kind must be "storage", "network" or "environment"`);
  }
}

function warningOf(body: ChangeBody): { warning?: string } {
  if (body.action !== "grant" || body.kind !== "storage" || typeof body.target !== "string") return {};
  try {
    const warning = missingPathWarning(storagePath(body.target, { allowRelative: false }));
    return warning ? { warning } : {};
  } catch {
    return {};
  }
}

/** What the publisher requests that is not granted, and what is granted beyond the request. */
export function diffGrants(requested: Grants, granted: Grants): { missing: string[]; extra: string[] } {
  const items = (g: Grants) => [
    ...g.storage.map((s) => `storage ${s.path} (${s.write ? "read, write" : "read"})`),
    ...g.network.map((h) => `network ${h}`),
    ...g.environment.map((k) => `environment ${k}`),
  ];
  const want = items(requested);
  const have = items(granted);
  return { missing: want.filter((i) => !have.includes(i)), extra: have.filter((i) => !want.includes(i)) };
}

/** `package ns:name@1.2.3;` in the component's WIT: its version, if it names one. */
function packageVersion(wit: string): string | null {
  return /^\s*package\s+[^@;\s]+@([^;\s]+)\s*;/m.exec(wit)?.[1] ?? null;
}

function stringParam(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
