// MCP resources and prompts a component offers through `airlock:tool/resources` and
// `airlock:tool/prompts`: their listings checked (bounded, well-formed), their answers turned
// into MCP values, and URI templates matched.
import type { ExportedFunction } from "@airlock/wit-parser";
import { UserError } from "../errors.js";
import { exportedAirlockInterface, type ContentBlock } from "./provided-tools.js";

const MAX_ENTRIES = 256;
const MAX_TEXT = 8 * 1024;

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

/** Checks a listing: a bounded list of records whose strings are bounded and whose names are unique. */
export function checkListing<T extends object>(componentId: string, what: string, listed: unknown, key: (item: T) => string): T[] {
  const where = `component "${componentId}" (${what})`;
  if (!Array.isArray(listed)) throw new UserError(`${where} did not return a list`);
  if (listed.length > MAX_ENTRIES) throw new UserError(`${where} lists ${listed.length} entries; at most ${MAX_ENTRIES} are allowed`);
  const seen = new Set<string>();
  return (listed as T[]).map((item) => {
    const id = key(item);
    if (seen.has(id)) throw new UserError(`${where}: "${id}" is listed twice`);
    seen.add(id);
    for (const value of Object.values(item)) {
      if (typeof value === "string" && value.length > MAX_TEXT) throw new UserError(`${where}: a field of "${id}" is over ${MAX_TEXT} characters`);
    }
    return withoutUndefined(item);
  });
}

function withoutUndefined<T extends object>(item: T): T {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined)) as T;
}

/** Whether `uri` matches a template whose variables are simple `{name}` segments. */
export function matchesTemplate(template: string, uri: string): boolean {
  const pattern = template
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? "[^/?#]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${pattern}$`).test(uri);
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

type GuestContent =
  | { tag: "text"; val: string }
  | { tag: "image" | "audio"; val: { data: Uint8Array; mimeType: string } }
  | { tag: "resource"; val: GuestResource };

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
