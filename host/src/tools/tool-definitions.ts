// A component's exports as MCP tools: names (docs/contract.md), descriptions, schemas, validators.
import { camelCase, createValidator, inputSchema, outputSchema, UnsupportedTypeError, unwrapDocs, type JsonSchema, type Validator } from "@airlock/schema";
import type { ExportedFunction, ResolvedType } from "@airlock/wit-parser";
import { UserError } from "../errors.js";
import type { ComponentDescription } from "../loader/describe-component.js";
import { isAirlockToolExport, providerInterface, type ProvidedTool } from "./provided-tools.js";
import { airlockCommand } from "../cli-command.js";

interface ToolBase {
  name: string;
  componentId: string;
  /** Where jco's bindings keep the function to call: [name] or [interface, name]. */
  exportPath: string[];
  description: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  annotations: ProvidedTool["annotations"];
}

/**
 * A tool is an exported function (its schema derived from WIT, validated in the host), or one
 * the component declared through its provider interface (validated in its worker: the schema
 * comes from the guest).
 */
export type ToolDefinition = (ToolBase & { source: "export"; fn: ExportedFunction; validate: LazyValidator }) | (ToolBase & { source: "provider"; provided: ProvidedTool });

/** `get-weather` stays `get-weather`; `ns:pkg/iface@1.2.3` + `fn` becomes `ns_pkg_iface_fn`. */
export function toolName(fn: ExportedFunction): string {
  if (!fn.interfaceName) return fn.name;
  const withoutVersion = fn.interfaceName.replace(/@.*$/, "");
  return `${withoutVersion.replace(/[:/]/g, "_")}_${fn.name}`;
}

export function defineTools(componentId: string, description: ComponentDescription): ToolDefinition[] {
  const exported = exportedTools(componentId, description);
  const provided = providedToolDefinitions(componentId, description);
  for (const tool of provided) {
    if (exported.some((e) => e.name === tool.name)) {
      throw new UserError(`component "${componentId}" offers "${tool.name}" twice: as an export and through airlock:tool/provider; rename one of them`);
    }
  }
  return [...exported, ...provided];
}

function providedToolDefinitions(componentId: string, description: ComponentDescription): ToolDefinition[] {
  const provider = providerInterface(description.functions);
  if (!provider) return [];
  const reachesOut = description.imports.some((i) => /^wasi:(filesystem|http|sockets|cli\/environment)\//.test(i));
  return (description.provided ?? []).map((provided) => ({
    source: "provider",
    provided,
    name: provided.name,
    componentId,
    exportPath: [provider, "callTool"],
    description: provided.description,
    inputSchema: provided.inputSchema,
    ...(provided.outputSchema ? { outputSchema: provided.outputSchema } : {}),
    annotations: vouchedAnnotations(provided.annotations, reachesOut),
  }));
}

/**
 * The host passes on a provider's hints about danger, but not its claims of safety that it cannot
 * vouch for: a component that can reach files, network or environment does not get to say it is
 * read-only or closed-world (clients may approve such tools without asking). A component that can
 * reach nothing is read-only and closed-world whatever it says.
 */
function vouchedAnnotations(declared: ProvidedTool["annotations"], reachesOut: boolean): ProvidedTool["annotations"] {
  const { readOnlyHint, openWorldHint, ...rest } = declared;
  if (!reachesOut) return { ...rest, readOnlyHint: true, openWorldHint: false };
  return { ...rest, ...(readOnlyHint === false ? { readOnlyHint } : {}), ...(openWorldHint === true ? { openWorldHint } : {}) };
}

function exportedTools(componentId: string, description: ComponentDescription): ToolDefinition[] {
  // The diagnostics import reaches nothing: it reports the tool's own uncaught exceptions.
  const pure = description.imports.every((i) => /^airlock:tool\/diagnostics(@|$)/.test(i));
  return description.functions
    .filter((fn) => !isAirlockToolExport(fn))
    .map((fn) => {
      const extraDocs = description.docs[fn.interfaceName ? `${fn.interfaceName}#${fn.name}` : fn.name];
      const docs = fn.docs ?? extraDocs?.docs;
      let schemas: { input: JsonSchema; output: JsonSchema | undefined };
      try {
        schemas = { input: inputSchema(fn, extraDocs?.params), output: outputSchema(fn) };
      } catch (error) {
        if (!(error instanceof UnsupportedTypeError)) throw error;
        throw new UserError(
          `component "${componentId}" cannot be served: function "${toolName(fn)}" uses ${error.message}, which cannot be passed as JSON; only functions whose parameters and results are plain data (no resources, streams or futures) can become MCP tools`,
        );
      }
      const definition: ToolDefinition = {
        source: "export",
        name: toolName(fn),
        componentId,
        exportPath: fn.interfaceName ? [fn.interfaceName, camelCase(fn.name)] : [camelCase(fn.name)],
        fn,
        description: docs ? unwrapDocs(docs) : generatedDescription(componentId, fn),
        inputSchema: schemas.input,
        annotations: pure ? { readOnlyHint: true, idempotentHint: true, openWorldHint: false } : {},
        validate: lazyValidator(schemas.input),
      };
      if (schemas.output) definition.outputSchema = schemas.output;
      return definition;
    });
}

/** Checks arguments against a tool's schema, compiled at its first use or by compile(). */
export type LazyValidator = Validator & { compile(): void; readonly compiled: boolean };

/**
 * Compiling a schema costs milliseconds (~20, and ~45 more to load ajv for the first): not for
 * every tool at start-up, but at a tool's first call, or earlier in the background when the host
 * is quiet (ComponentHost.prepareAll). The schema is inputSchema()'s, made from WIT types: valid
 * by construction.
 */
function lazyValidator(schema: JsonSchema): LazyValidator {
  let compiled: Validator | undefined;
  const compile = () => (compiled ??= createValidator(schema, { ownSchema: true }));
  const validator = Object.assign((value: unknown) => compile()(value), { compile: () => void compile() });
  return Object.defineProperty(validator, "compiled", { get: () => compiled !== undefined }) as LazyValidator;
}

function generatedDescription(componentId: string, fn: ExportedFunction): string {
  const where = fn.interfaceName ? `interface ${fn.interfaceName} of component ${componentId}` : `component ${componentId}`;
  const params = fn.params.length ? ` Takes ${fn.params.map((p) => `${p.name} (${typeName(p.type)})`).join(", ")}.` : "";
  const returns = fn.result ? ` Returns ${typeName(fn.result)}.` : "";
  return `Calls ${fn.name} from ${where}.${params}${returns}`;
}

function typeName(type: ResolvedType): string {
  switch (type.kind) {
    case "primitive":
      return type.name;
    case "list":
      return `list<${typeName(type.element)}>`;
    case "option":
      return `option<${typeName(type.inner)}>`;
    case "tuple":
      return `tuple<${type.items.map(typeName).join(", ")}>`;
    case "result":
      return `result<${type.ok ? typeName(type.ok) : "_"}, ${type.err ? typeName(type.err) : "_"}>`;
    default:
      return type.name;
  }
}

/** The built-in MCP tools of the host (docs/contract.md): no component may take these names. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  "load-component",
  "unload-component",
  "list-components",
  "get-policy",
  "grant-storage-permission",
  "grant-network-permission",
  "grant-environment-variable-permission",
  "revoke-storage-permission",
  "revoke-network-permission",
  "revoke-environment-variable-permission",
  "reset-permission",
]);

/**
 * A name's form for comparison with the reserved names: compatibility-normalized, lowercased and
 * stripped of everything but letters and digits, so `Grant_Storage-Permission` or a full-width
 * look-alike cannot pass for a built-in tool beside it.
 */
export function reservedForm(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, "");
}

const RESERVED_FORMS = (names: ReadonlySet<string>) => new Set([...names].map(reservedForm));

/** Tools of many components, refusing a name that two components both want. */
export class ToolCatalog {
  private readonly byName = new Map<string, ToolDefinition>();

  /** `reserved`: names the host itself uses (its built-in tools). */
  private readonly reserved: ReadonlySet<string>;

  constructor(reserved: ReadonlySet<string> = RESERVED_NAMES) {
    this.reserved = RESERVED_FORMS(reserved);
  }

  add(tools: ToolDefinition[]): void {
    for (const tool of tools) {
      if (this.reserved.has(reservedForm(tool.name))) {
        throw new UserError(
          `component "${tool.componentId}" offers a tool named "${tool.name}", which reads as the name of one of the host's built-in tools (names are compared ignoring case, "-", "_" and "."); rename it`,
        );
      }
      const existing = this.byName.get(tool.name);
      if (existing && existing.componentId !== tool.componentId) {
        throw new UserError(
          `tool name collision: "${tool.name}" is exported by both component "${existing.componentId}" and component "${tool.componentId}"; unload one of them (${airlockCommand()} unload <id>)`,
        );
      }
    }
    for (const tool of tools) this.byName.set(tool.name, tool);
  }

  removeComponent(componentId: string): void {
    for (const [name, tool] of this.byName) if (tool.componentId === componentId) this.byName.delete(name);
  }

  get(name: string): ToolDefinition | undefined {
    return this.byName.get(name);
  }

  all(): ToolDefinition[] {
    return [...this.byName.values()];
  }
}
