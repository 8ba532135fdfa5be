// Doc comments carried inside a component.
// - `package-docs`: the format wit-component reads when it decodes a component (one version
//   byte, then JSON). A component's decoded world is always `root`, so docs of the tool's world
//   are keyed `root`. wasm-tools then prints them as `///` comments.
// - `airlock-docs`: parameter docs, which `package-docs` has no place for. JSON, version 1.
import type { Interface, TypeDef, World } from "./model.js";

export const PACKAGE_DOCS_SECTION = "package-docs";
export const PARAM_DOCS_SECTION = "airlock-docs";
/** The name wit-component gives the world of a decoded component. */
export const DECODED_WORLD_NAME = "root";

interface TypeDocs {
  docs?: string;
  items?: Record<string, string>;
}

/** package-docs JSON for a tool world, keyed as the decoded component names it. */
export function packageDocsFor(world: World): Record<string, unknown> {
  const funcExports: Record<string, { docs: string }> = {};
  const interfaceExports: Record<string, { docs?: string; funcs?: Record<string, { docs: string }>; types?: Record<string, TypeDocs> }> = {};
  for (const item of world.items) {
    if (item.direction !== "export") continue;
    if (item.kind === "function" && item.func.docs) funcExports[item.func.name] = { docs: item.func.docs };
    if (item.kind === "interface" && item.inline) {
      const entry = interfaceDocs(item.inline);
      if (Object.keys(entry).length > 0) interfaceExports[item.name] = entry;
    }
  }
  const worldDocs: Record<string, unknown> = {};
  if (world.docs) worldDocs.docs = world.docs;
  if (Object.keys(funcExports).length) worldDocs.func_exports = funcExports;
  if (Object.keys(interfaceExports).length) worldDocs.interface_exports = interfaceExports;
  const types = typeDocs(world.types);
  if (Object.keys(types).length) worldDocs.types = types;
  return { worlds: { [DECODED_WORLD_NAME]: worldDocs } };
}

function interfaceDocs(iface: Interface) {
  const funcs: Record<string, { docs: string }> = {};
  for (const f of iface.functions) if (f.docs) funcs[f.name] = { docs: f.docs };
  const types = typeDocs(iface.types);
  return {
    ...(iface.docs ? { docs: iface.docs } : {}),
    ...(Object.keys(funcs).length ? { funcs } : {}),
    ...(Object.keys(types).length ? { types } : {}),
  };
}

function typeDocs(types: TypeDef[]): Record<string, TypeDocs> {
  const out: Record<string, TypeDocs> = {};
  for (const type of types) {
    const members =
      type.body.kind === "record" ? type.body.fields
      : type.body.kind === "variant" || type.body.kind === "enum" ? type.body.cases
      : type.body.kind === "flags" ? type.body.flags
      : [];
    const items: Record<string, string> = {};
    for (const m of members) if (m.docs) items[m.name] = m.docs;
    const entry: TypeDocs = {};
    if (type.docs) entry.docs = type.docs;
    if (Object.keys(items).length) entry.items = items;
    if (Object.keys(entry).length) out[type.name] = entry;
  }
  return out;
}

export function encodePackageDocs(docs: Record<string, unknown>): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(docs));
  const out = new Uint8Array(json.length + 1);
  out[0] = 1;
  out.set(json, 1);
  return out;
}

/** Parameter docs: `{ version: 1, functions: { "<export name>": { "<param>": "<docs>" } } }`. */
export interface ParamDocs {
  version: 1;
  functions: Record<string, Record<string, string>>;
}

export function paramDocsFor(world: World): ParamDocs {
  const functions: ParamDocs["functions"] = {};
  const add = (key: string, params: { name: string; docs?: string }[]) => {
    const entry: Record<string, string> = {};
    for (const p of params) if (p.docs) entry[p.name] = p.docs;
    if (Object.keys(entry).length) functions[key] = entry;
  };
  for (const item of world.items) {
    if (item.direction !== "export") continue;
    if (item.kind === "function") add(item.func.name, item.func.params);
    else if (item.inline) for (const f of item.inline.functions) add(`${item.name}#${f.name}`, f.params);
  }
  return { version: 1, functions };
}

export function decodeParamDocs(payload: Uint8Array): ParamDocs | undefined {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(payload)) as ParamDocs;
    return parsed.version === 1 && typeof parsed.functions === "object" ? parsed : undefined;
  } catch {
    return undefined;
  }
}
