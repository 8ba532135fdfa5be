// Checks made before any call: the component loads, its tools have valid object schemas, and
// what it imports fits the capability world it declares.
import { newAjv, type Ajv } from "../ajv.js";
import { check, type Check } from "../check.js";
import { checkImports, readCapabilityWorlds } from "../capability-worlds.js";
import type { HostHome, Served } from "../host-process.js";
import { firstLine } from "../outcome.js";
import type { Target } from "../target.js";

export interface ToolDescription {
  name: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
}

export interface Inspected {
  imports: string[];
  tools: ToolDescription[];
}

/** `airlock load` and `airlock inspect`: the description, or why it does not load. */
export async function loadComponent(home: HostHome, target: Target): Promise<Inspected | { problem: string }> {
  // inspect reads the file itself, so both run at once.
  const [loaded, inspected] = await Promise.all([home.run("load", target.component, "--quiet"), home.run("inspect", target.component)]);
  if (loaded.code !== 0) return { problem: `airlock load ${target.component} failed: ${firstLine(loaded.stderr.replace(/^airlock: /, ""))}` };
  if (inspected.code !== 0) return { problem: `airlock inspect ${target.component} failed: ${firstLine(inspected.stderr.replace(/^airlock: /, ""))}` };
  return JSON.parse(inspected.stdout) as Inspected;
}

/** The `loads` check, once `airlock serve` is up: tools/list must offer every tool inspect found. */
export async function servesCheck(served: Served, target: Target, inspected: Inspected): Promise<Check> {
  const names = inspected.tools.map((t) => t.name);
  let listed: string[];
  try {
    listed = await served.toolNames();
  } catch (error) {
    return check("loads", "loads", false, `tools/list failed: ${(error as Error).message}`);
  }
  const missing = names.filter((n) => !listed.includes(n));
  if (missing.length > 0) return check("loads", "loads", false, `airlock inspect describes ${missing.join(", ")}, but tools/list over MCP does not offer ${missing.length === 1 ? "it" : "them"}`);
  return check("loads", "loads", true, `${target.id}, ${names.length} tool${names.length === 1 ? "" : "s"} over MCP (${names.join(", ")})`);
}

export function schemaChecks(tools: ToolDescription[]): Check[] {
  const ajv = newAjv();
  if (tools.length === 0) return [check("schemas", "schemas", false, "the component exports no function, so it offers no tool")];
  return tools.map((tool) => {
    const problems = [schemaProblem(ajv, "input", tool.inputSchema), tool.outputSchema && schemaProblem(ajv, "output", tool.outputSchema)].filter(Boolean);
    const message =
      problems.length > 0 ? problems.join("; ") : tool.outputSchema ? "input and output are valid object schemas" : "input is a valid object schema; no output (the function returns nothing)";
    return check("schemas", `schemas of ${tool.name}`, problems.length === 0, message);
  });
}

function schemaProblem(ajv: Ajv, which: string, schema: Record<string, unknown>): string | undefined {
  if (typeof schema !== "object" || schema === null) return `the ${which} schema is not a JSON object`;
  if (schema.type !== "object") return `the ${which} schema has type ${JSON.stringify(schema.type)}, not "object"`;
  if (!ajv.validateSchema(schema)) return `the ${which} schema is not valid JSON Schema 2020-12: ${ajv.errorsText(ajv.errors)}`;
  try {
    ajv.compile(schema);
  } catch (error) {
    return `the ${which} schema does not compile: ${(error as Error).message}`;
  }
  return undefined;
}

export async function worldCheck(target: Target, imports: string[]): Promise<Check> {
  if (target.worlds.length === 0) {
    return check("world", "world", false, "no capability world declared: include one from airlock:capabilities in wit/, set `world:` in the case file, or pass --world");
  }
  const verdict = checkImports(imports, target.worlds, await readCapabilityWorlds(), target.cases.allowImports);
  const name = target.worlds.length === 1 ? `world "${target.worlds[0]}"` : `worlds ${target.worlds.map((w) => `"${w}"`).join(" + ")}`;
  return check("world", name, verdict.ok, verdict.message);
}
