// The deployment file (airlock.yaml): what a replica of `airlock serve --config` serves. Read,
// validated against schema/deployment.schema.json and checked for what a schema cannot say (ids
// that collide, policy files beside it, https:// sources with signatures required). Every
// problem is reported at once, each naming its key: `airlock.yaml: components.2.source: ...`.
// Pure apart from reading the file and the policy files it names.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, resolve } from "node:path";
import { createValidator, type ValidationProblem, type Validator } from "@airlock/schema";
import { UserError } from "../errors.js";
import { parseDuration, parseMemory, type Policy } from "../policy/policy.js";
import { parsePolicy } from "../policy/policy-store.js";

export interface DeployedComponent {
  id: string;
  /** oci://…@sha256:… or https://…#sha256=… */
  source: string;
  /** Serve only these tools; undefined serves all. */
  tools?: string[];
  /** The grants (none when the file gives no policy). */
  policy: Policy;
}

export interface RateLimit {
  callsPerSecond: number;
  burst: number;
}

export interface Deployment {
  /** The file's absolute path. */
  file: string;
  allowedHosts: string[];
  /** Absolute path of the bearer token file; undefined: $AIRLOCK_HOME/http-token. */
  tokenFile?: string;
  clients: { name: string; tokenFile: string }[];
  signatures: "required" | "optional";
  /** Absolute paths of trusted public keys. */
  trustedKeys: string[];
  audit: "file" | "stdout";
  metricsListen?: string;
  limits: {
    timeoutMs?: number;
    memoryLimitBytes?: number;
    maxResultBytes?: number;
    maxInputBytes?: number;
    poolSize?: number;
    maxQueue?: number;
    idleStopMs?: number;
    rate?: RateLimit;
  };
  components: DeployedComponent[];
}

const SCHEMA_DIR = new URL("../../schema/", import.meta.url);
let validator: Validator | undefined;
let schema: Record<string, unknown> | undefined;

function deploymentSchema(): Record<string, unknown> {
  if (schema) return schema;
  const read = (name: string) => JSON.parse(readFileSync(new URL(name, SCHEMA_DIR), "utf8")) as Record<string, unknown>;
  const { $id: _id, $schema: _schema, ...policy } = read("policy.schema.json");
  const deployment = read("deployment.schema.json");
  (deployment.$defs as Record<string, unknown>).policy = policy;
  return (schema = deployment);
}

/** Reads and checks a deployment file; throws a UserError listing every problem. */
export async function readDeploymentFile(path: string): Promise<Deployment> {
  const file = resolve(path);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read the deployment file ${file}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  return parseDeployment(text, file, (policyFile) => readFileSync(policyFile, "utf8"));
}

/** Checks deployment text; `file` is where it lives (relative paths in it are from its folder). */
export function parseDeployment(text: string, file: string, readText: (path: string) => string): Deployment {
  const name = basename(file);
  const fail = (problems: string[]): never => {
    throw new UserError(`${file} is not a valid deployment file:\n${problems.map((p) => `  ${name}: ${p}`).join("\n")}\nSee "Run a fleet" in the README for the format.`);
  };
  let value: unknown;
  try {
    value = (createRequire(import.meta.url)("yaml") as typeof import("yaml")).parse(text);
  } catch (error) {
    fail([`not valid YAML: ${(error as Error).message.split("\n")[0]}`]);
  }
  validator ??= createValidator(deploymentSchema(), { ownSchema: true });
  const problems = validator(value ?? {});
  if (problems.length > 0) fail(problems.map((p) => describeProblem(p)));
  const raw = value as RawDeployment;
  const here = dirname(file);
  const server = raw.server ?? {};
  const errors: string[] = [];
  const signatures = server.signatures ?? "required";
  const components = raw.components.map((c, i): DeployedComponent => {
    const id = c.id ?? defaultId(c.source);
    if (!id) errors.push(`components.${i}.id: cannot derive an id from ${c.source}: give the component an id (lowercase letters, digits, ".", "_" or "-")`);
    if (signatures === "required" && c.source.startsWith("https://")) {
      errors.push(`components.${i}.source: an https:// component carries no signature, and server.signatures is required: publish it to a registry and sign it, or set server.signatures: optional`);
    }
    return { id: id ?? `#${i}`, source: c.source, ...(c.tools ? { tools: c.tools } : {}), policy: policyOf(c.policy, i) };
  });
  function policyOf(policy: RawDeployment["components"][number]["policy"], i: number): Policy {
    if (policy === undefined) return { version: "1.0" };
    const path = typeof policy === "string" ? resolve(here, policy) : undefined;
    try {
      return path === undefined ? parsePolicy(JSON.stringify(policy), `components.${i}.policy`) : parsePolicy(readText(path), path);
    } catch (error) {
      if (error instanceof UserError) errors.push(path === undefined ? error.message : `components.${i}.policy: ${error.message}`);
      else errors.push(`components.${i}.policy: cannot read ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
      return { version: "1.0" };
    }
  }
  const seen = new Map<string, number>();
  components.forEach((c, i) => {
    const first = seen.get(c.id);
    if (first !== undefined) errors.push(`components.${i}: the id "${c.id}" is already used by components.${first}: give one of them another id`);
    else seen.set(c.id, i);
  });
  if (signatures === "required" && (server.trustedKeys ?? []).length === 0 && components.length > 0) {
    errors.push(`server.trustedKeys: signatures are required (the default), so list the public keys that sign your components, or set server.signatures: optional`);
  }
  const clientNames = new Set<string>();
  for (const [i, client] of (server.clients ?? []).entries()) {
    if (clientNames.has(client.name)) errors.push(`server.clients.${i}.name: "${client.name}" names two clients: give each its own name`);
    clientNames.add(client.name);
  }
  if (errors.length > 0) fail(errors);
  const limits = server.limits ?? {};
  return {
    file,
    allowedHosts: server.allowedHosts ?? [],
    ...(server.tokenFile ? { tokenFile: resolve(here, server.tokenFile) } : {}),
    clients: (server.clients ?? []).map((c) => ({ name: c.name, tokenFile: resolve(here, c.tokenFile) })),
    signatures,
    trustedKeys: (server.trustedKeys ?? []).map((k) => resolve(here, k)),
    audit: server.audit ?? "file",
    ...(server.metrics ? { metricsListen: server.metrics.listen } : {}),
    limits: {
      ...(limits.timeout ? { timeoutMs: parseDuration(limits.timeout) } : {}),
      ...(limits.memory ? { memoryLimitBytes: parseMemory(limits.memory) } : {}),
      ...(limits.maxResult ? { maxResultBytes: parseMemory(limits.maxResult) } : {}),
      ...(limits.maxInput ? { maxInputBytes: parseMemory(limits.maxInput) } : {}),
      ...(limits.workers ? { poolSize: limits.workers } : {}),
      ...(limits.maxQueue ? { maxQueue: limits.maxQueue } : {}),
      ...(limits.idleStop ? { idleStopMs: limits.idleStop === "off" ? 0 : parseDuration(limits.idleStop) } : {}),
      ...(limits.rate ? { rate: { callsPerSecond: limits.rate.callsPerSecond, burst: limits.rate.burst ?? Math.max(1, Math.ceil(limits.rate.callsPerSecond)) } } : {}),
    },
    components,
  };
}

/** The last segment of the repository (oci://) or of the file name (https://), if it can be an id. */
function defaultId(source: string): string | undefined {
  const path = source.startsWith("oci://") ? source.slice("oci://".length).split("@")[0]! : new URL(source).pathname.replace(/\.wasm$/i, "");
  const last = path.split("/").pop()!.toLowerCase();
  return /^[a-z0-9][a-z0-9._-]{0,63}$/.test(last) ? last : undefined;
}

/** `components.2.policy.permissions.network.allow.0.host: ...`, patterns told by what they mean. */
function describeProblem(problem: ValidationProblem): string {
  const key = problem.path.replace(/^\//, "").replace(/\//g, ".") || "(top level)";
  if (problem.rule !== "pattern") return `${key}: ${problem.message}`;
  const meaning = schemaAt(problem.path)?.description;
  const received = / received .*$/.exec(problem.message)?.[0] ?? "";
  return meaning ? `${key}: must be ${meaning},${received}` : `${key}: ${problem.message}`;
}

/** The schema node that describes the value at a JSON pointer (properties, items, $ref, anyOf). */
function schemaAt(pointer: string): { description?: string } | undefined {
  const root = deploymentSchema();
  const deref = (node: Record<string, unknown>): Record<string, unknown> =>
    typeof node.$ref === "string" ? deref((root.$defs as Record<string, Record<string, unknown>>)[node.$ref.replace("#/$defs/", "")]!) : node;
  let node: Record<string, unknown> | undefined = root;
  for (const part of pointer.split("/").slice(1)) {
    if (!node) return undefined;
    node = deref(node);
    const candidates: Record<string, unknown>[] = node.anyOf ? (node.anyOf as Record<string, unknown>[]).map(deref) : [node];
    node = candidates
      .map((c) => (/^\d+$/.test(part) && c.items ? (c.items as Record<string, unknown>) : (c.properties as Record<string, Record<string, unknown>> | undefined)?.[part]))
      .find((c) => c !== undefined);
  }
  return node ? deref(node) : undefined;
}

interface RawDeployment {
  version: 1;
  server?: {
    allowedHosts?: string[];
    tokenFile?: string;
    clients?: { name: string; tokenFile: string }[];
    signatures?: "required" | "optional";
    trustedKeys?: string[];
    audit?: "file" | "stdout";
    metrics?: { listen: string };
    limits?: { timeout?: string; memory?: string; maxResult?: string; maxInput?: string; workers?: number; maxQueue?: number; idleStop?: string; rate?: { callsPerSecond: number; burst?: number } };
  };
  components: { source: string; id?: string; tools?: string[]; policy?: string | Record<string, unknown> }[];
}
