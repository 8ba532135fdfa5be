// MCP resources and prompts a component offers through `airlock:tool/resources` and
// `airlock:tool/prompts`: their listings checked (bounded, well-formed), their answers turned
// into MCP values, and URI templates matched.
import type { ExportedFunction } from "@airlock/wit-parser";
import { UserError } from "../errors.js";
import { exportedAirlockInterface, type ContentBlock } from "./provided-tools.js";

const MAX_ENTRIES = 256;
const MAX_TEXT = 8 * 1024;
/** Entries in a list inside a listed record (a prompt's arguments). */
const MAX_NESTED_ENTRIES = 64;

export interface ProvidedResource {
  uri: string;
  name: string;
  description?: string;
  mimeType?: string;
}

export interface ProvidedTemplate {
  uriTemplate: string;
  name: string;
  description?: string;
  mimeType?: string;
}

export interface ProvidedPrompt {
  name: string;
  description?: string;
  arguments: { name: string; description?: string; required: boolean }[];
}

export interface Offered {
  resources: ProvidedResource[];
  templates: ProvidedTemplate[];
  prompts: ProvidedPrompt[];
}

export const resourcesInterface = (functions: ExportedFunction[]) => exportedAirlockInterface(functions, "resources");
export const promptsInterface = (functions: ExportedFunction[]) => exportedAirlockInterface(functions, "prompts");

/**
 * Checks a listing: a bounded list of records whose strings (nested ones too, such as a prompt's
 * argument descriptions) are bounded and whose names are unique. `problem` adds a check of its own.
 */
export function checkListing<T extends object>(componentId: string, what: string, listed: unknown, key: (item: T) => string, problem: (item: T) => string | undefined = () => undefined): T[] {
  const where = `component "${componentId}" (${what})`;
  if (!Array.isArray(listed)) throw new UserError(`${where} did not return a list`);
  if (listed.length > MAX_ENTRIES) throw new UserError(`${where} lists ${listed.length} entries; at most ${MAX_ENTRIES} are allowed`);
  const seen = new Set<string>();
  return (listed as T[]).map((item) => {
    const id = key(item);
    if (seen.has(id)) throw new UserError(`${where}: "${id}" is listed twice`);
    seen.add(id);
    const tooLong = longField(item, 0);
    if (tooLong) throw new UserError(`${where}: ${tooLong} of "${id.slice(0, 200)}" is too long (strings: at most ${MAX_TEXT} characters)`);
    const wrong = problem(item);
    if (wrong) throw new UserError(`${where}: "${id.slice(0, 200)}": ${wrong}`);
    return withoutUndefined(item);
  });
}

/** The path of the first string (at any depth) over MAX_TEXT, or of a list over MAX_NESTED_ENTRIES. */
function longField(value: unknown, depth: number, path = ""): string | undefined {
  const named = () => `the field ${path}`;
  if (typeof value === "string") return value.length > MAX_TEXT ? named() : undefined;
  if (value === null || typeof value !== "object" || value instanceof Uint8Array || depth > 4) return undefined;
  if (Array.isArray(value) && value.length > MAX_NESTED_ENTRIES) return `${named()} (a list of ${value.length}; at most ${MAX_NESTED_ENTRIES})`;
  for (const [key, field] of Object.entries(value)) {
    const found = longField(field, depth + 1, Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return undefined;
}

function withoutUndefined<T extends object>(item: T): T {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined)) as T;
}

type GuestResource = { uri: string; mimeType?: string; text?: string; blob?: Uint8Array };

export type ResourceContents = { uri: string; mimeType?: string; text: string } | { uri: string; mimeType?: string; blob: string };

export function toResourceContents(contents: GuestResource): ResourceContents {
  const base = contents.mimeType === undefined ? { uri: contents.uri } : { uri: contents.uri, mimeType: contents.mimeType };
  if ((contents.text === undefined) === (contents.blob === undefined)) {
    throw new UserError(`the resource ${contents.uri} must have exactly one of text and blob`);
  }
  return contents.text !== undefined ? { ...base, text: contents.text } : { ...base, blob: Buffer.from(contents.blob!).toString("base64") };
}

type GuestContent = { tag: "text"; val: string } | { tag: "image" | "audio"; val: { data: Uint8Array; mimeType: string } } | { tag: "resource"; val: GuestResource };

/** A prompt message's content as MCP content. */
export function toPromptContent(content: GuestContent): ContentBlock {
  switch (content.tag) {
    case "text":
      return { type: "text", text: content.val };
    case "image":
    case "audio":
      return { type: content.tag, data: Buffer.from(content.val.data).toString("base64"), mimeType: content.val.mimeType };
    case "resource":
      return { type: "resource", resource: toResourceContents(content.val) };
  }
}
