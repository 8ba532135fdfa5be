// Tools a component declares itself through the `airlock:tool/provider` interface: the list it
// returns from `list-tools` is checked here (names, JSON Schemas that compile) before any of it
// reaches a client, and its results (rich content) become MCP content blocks.
import { createValidator, formatProblems, type JsonSchema, type Validator } from "@airlock/schema";
import type { ExportedFunction } from "@airlock/wit-parser";
import { UserError } from "../errors.js";
import { depthAtMost, MAX_NESTING } from "../executor/value-size.js";

/** The airlock:tool interfaces a component may export; the host calls their functions itself. */
const AIRLOCK_TOOL_EXPORT = /^airlock:tool\/(provider|resources|prompts)@0\.1\.\d+$/;
const NAME = /^[A-Za-z0-9_.-]{1,128}$/;
/** Bounds on a listing, so that checking it (compiling every schema) takes bounded time. */
export const LISTING_LIMITS = { tools: 256, schemaBytes: 64 * 1024, descriptionBytes: 8 * 1024, titleLength: 256 };

/** A tool as the component declared it, after checking. Kept in the description cache. */
export interface ProvidedTool {
  name: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  annotations: { title?: string; readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean };
}

/** The provider interface the component exports, if it exports one. */
export const providerInterface = (functions: ExportedFunction[]) => exportedAirlockInterface(functions, "provider");

/** The versioned name of the airlock:tool interface `name`, if the component exports it. */
export function exportedAirlockInterface(functions: ExportedFunction[], name: "provider" | "resources" | "prompts"): string | undefined {
  return functions.find((fn) => fn.interfaceName && AIRLOCK_TOOL_EXPORT.exec(fn.interfaceName)?.[1] === name)?.interfaceName;
}

/** A function of an exported airlock:tool interface: the host calls it, it is never a tool. */
export function isAirlockToolExport(fn: ExportedFunction): boolean {
  return fn.interfaceName !== undefined && AIRLOCK_TOOL_EXPORT.test(fn.interfaceName);
}

/** What jco hands back for `list<tool>`: options are `undefined` or the value. */
interface GuestTool {
  name: string;
  description: string;
  inputSchema: string;
  outputSchema?: string;
  annotations?: { title?: string; readOnly?: boolean; destructive?: boolean; idempotent?: boolean; openWorld?: boolean };
}

/** Checks `list-tools`' answer; every problem names the component, the tool and what to fix. */
export function checkProvidedTools(componentId: string, listed: unknown): ProvidedTool[] {
  const where = `component "${componentId}" (airlock:tool/provider list-tools)`;
  if (!Array.isArray(listed)) throw new UserError(`${where} did not return a list`);
  if (listed.length > LISTING_LIMITS.tools) throw new UserError(`${where} lists ${listed.length} tools; at most ${LISTING_LIMITS.tools} are allowed`);
  const seen = new Set<string>();
  return (listed as GuestTool[]).map((tool) => {
    if (!NAME.test(tool.name)) {
      throw new UserError(`${where}: tool name "${tool.name}" is not allowed: use 1-128 letters, digits, "_", "-" or "."`);
    }
    if (seen.has(tool.name)) throw new UserError(`${where}: tool "${tool.name}" is listed twice`);
    seen.add(tool.name);
    if (tool.description.length > LISTING_LIMITS.descriptionBytes) {
      throw new UserError(`${where}: the description of "${tool.name}" is ${tool.description.length} characters; at most ${LISTING_LIMITS.descriptionBytes} are allowed`);
    }
    const title = tool.annotations?.title;
    if (title !== undefined && title.length > LISTING_LIMITS.titleLength) {
      throw new UserError(`${where}: the title of "${tool.name}" is ${title.length} characters; at most ${LISTING_LIMITS.titleLength} are allowed`);
    }
    const provided: ProvidedTool = {
      name: tool.name,
      description: tool.description,
      inputSchema: objectSchema(where, tool.name, "input-schema", tool.inputSchema),
      annotations: annotationsOf(tool.annotations),
    };
    if (tool.outputSchema !== undefined) provided.outputSchema = objectSchema(where, tool.name, "output-schema", tool.outputSchema);
    return provided;
  });
}

function objectSchema(where: string, tool: string, field: string, text: string): JsonSchema {
  if (text.length > LISTING_LIMITS.schemaBytes) {
    throw new UserError(`${where}: the ${field} of "${tool}" is ${text.length} characters; at most ${LISTING_LIMITS.schemaBytes} are allowed`);
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${where}: the ${field} of "${tool}" is not JSON: ${(error as Error).message}`);
  }
  if (typeof schema !== "object" || schema === null || (schema as { type?: unknown }).type !== "object") {
    throw new UserError(`${where}: the ${field} of "${tool}" must be a JSON Schema with "type": "object" (MCP requires object schemas)`);
  }
  try {
    createValidator(schema as JsonSchema);
  } catch (error) {
    throw new UserError(`${where}: the ${field} of "${tool}" is not a valid JSON Schema: ${(error as Error).message}`);
  }
  return schema as JsonSchema;
}

function annotationsOf(guest: GuestTool["annotations"]): ProvidedTool["annotations"] {
  const out: ProvidedTool["annotations"] = {};
  if (!guest) return out;
  if (guest.title !== undefined) out.title = guest.title;
  if (guest.readOnly !== undefined) out.readOnlyHint = guest.readOnly;
  if (guest.destructive !== undefined) out.destructiveHint = guest.destructive;
  if (guest.idempotent !== undefined) out.idempotentHint = guest.idempotent;
  if (guest.openWorld !== undefined) out.openWorldHint = guest.openWorld;
  return out;
}

export type ContentBlock =
  | { type: "text"; text: string }
  | { type: "image" | "audio"; data: string; mimeType: string }
  | { type: "resource"; resource: { uri: string; mimeType?: string; text: string } | { uri: string; mimeType?: string; blob: string } };

type GuestContent =
  | { tag: "text"; val: string }
  | { tag: "image" | "audio"; val: { data: Uint8Array; mimeType: string } }
  | { tag: "resource"; val: { uri: string; mimeType?: string; text?: string; blob?: Uint8Array } };

export interface ProvidedResult {
  content: ContentBlock[];
  structured?: Record<string, unknown>;
  isError: boolean;
}

/** `call-tool`'s record as MCP content; a malformed answer is the component's fault, said plainly. */
export function toProvidedResult(tool: ProvidedTool, value: unknown, validatorFor: (schema: JsonSchema) => Validator = createValidator): ProvidedResult | { problem: string } {
  const raw = value as { content: GuestContent[]; structuredContent?: string; isError: boolean };
  const content: ContentBlock[] = [];
  for (const block of raw.content) {
    if (block.tag === "text") content.push({ type: "text", text: block.val });
    else if (block.tag === "image" || block.tag === "audio") {
      content.push({ type: block.tag, data: Buffer.from(block.val.data).toString("base64"), mimeType: block.val.mimeType });
    } else if (block.tag === "resource") {
      const { uri, mimeType, text, blob } = block.val;
      if ((text === undefined) === (blob === undefined)) return { problem: `the embedded resource ${uri} must have exactly one of text and blob` };
      const base = mimeType === undefined ? { uri } : { uri, mimeType };
      content.push({ type: "resource", resource: text !== undefined ? { ...base, text } : { ...base, blob: Buffer.from(blob!).toString("base64") } });
    }
  }
  const result: ProvidedResult = { content, isError: raw.isError };
  if (raw.structuredContent === undefined) {
    if (tool.outputSchema && !raw.isError) return { problem: `"${tool.name}" declares an output schema but returned no structured content` };
    return result;
  }
  let structured: unknown;
  try {
    structured = JSON.parse(raw.structuredContent);
  } catch (error) {
    return { problem: `the structured content of "${tool.name}" is not JSON: ${(error as Error).message}` };
  }
  if (!depthAtMost(structured, MAX_NESTING)) return { problem: `the structured content of "${tool.name}" is nested deeper than ${MAX_NESTING} levels; return a flatter value` };
  if (typeof structured !== "object" || structured === null || Array.isArray(structured)) {
    return { problem: `the structured content of "${tool.name}" must be a JSON object` };
  }
  if (tool.outputSchema && !raw.isError) {
    const problems = validatorFor(tool.outputSchema)(structured);
    if (problems.length > 0) return { problem: `the structured content of "${tool.name}" does not match its output schema: ${formatProblems(problems)}` };
  }
  result.structured = structured as Record<string, unknown>;
  return result;
}
