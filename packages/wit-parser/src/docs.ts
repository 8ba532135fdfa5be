// Doc comments carried inside a component.
// - `package-docs`: the format wit-component reads when it decodes a component (one version
//   byte, then JSON). A component's decoded world is always `root`, so docs of the tool's world
//   are keyed `root`. wasm-tools then prints them as `///` comments.
// - `airlock-docs`: parameter docs and interface function docs (see AirlockDocs). JSON.
import type { Func, Interface, Package, TypeDef, World } from "./model.js";

export const PACKAGE_DOCS_SECTION = "package-docs";
export const AIRLOCK_DOCS_SECTION = "airlock-docs";
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
    const members = type.body.kind === "record" ? type.body.fields : type.body.kind === "variant" || type.body.kind === "enum" ? type.body.cases : type.body.kind === "flags" ? type.body.flags : [];
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

/**
 * The `airlock-docs` section: what `package-docs` cannot carry. Parameter docs, and the docs of
 * functions inside exported interfaces (which `package-docs` keys by package, in a way older
 * wasm-tools versions reject). Keys: the export name at world level, `<ns:pkg/iface@version>#<fn>`
 * inside an interface.
 */
export interface AirlockDocs {
  version: 1;
  functions: Record<string, { docs?: string; params?: Record<string, string> }>;
}

export function airlockDocsFor(pkg: Package, world: World): AirlockDocs {
  const functions: AirlockDocs["functions"] = {};
  const add = (key: string, func: Func) => {
    const params: Record<string, string> = {};
    for (const p of func.params) if (p.docs) params[p.name] = p.docs;
    const entry: AirlockDocs["functions"][string] = {};
    if (func.docs) entry.docs = func.docs;
    if (Object.keys(params).length) entry.params = params;
    if (Object.keys(entry).length) functions[key] = entry;
  };
  for (const item of world.items) {
    if (item.direction !== "export") continue;
    if (item.kind === "function") {
      add(item.func.name, item.func);
      continue;
    }
    const iface = item.inline ?? pkg.interfaces.find((i) => i.name === item.name);
    const qualified = item.inline ? item.name : qualifiedName(pkg.name, item.name);
    for (const func of iface?.functions ?? []) add(`${qualified}#${func.name}`, func);
  }
  return { version: 1, functions };
}

/** `ns:pkg@1.0.0` + `iface` -> `ns:pkg/iface@1.0.0`; a name that is already a path stays. */
function qualifiedName(pkgName: string | undefined, iface: string): string {
  if (iface.includes(":") || !pkgName) return iface;
  const [path, version] = pkgName.split("@") as [string, string | undefined];
  return version ? `${path}/${iface}@${version}` : `${path}/${iface}`;
}

export function decodeAirlockDocs(payload: Uint8Array): AirlockDocs | undefined {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(payload)) as AirlockDocs;
    return parsed.version === 1 && typeof parsed.functions === "object" ? parsed : undefined;
  } catch {
    return undefined;
  }
}
