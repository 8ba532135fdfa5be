// Binds named type references and lists the functions a world exports, with every type fully
// resolved. Input is the parsed WIT of a component (as wasm-tools prints it) or of a source tree.
import type { Func, Interface, Named, Package, PrimitiveName, Scope, TypeExpr, World } from "./model.js";

export type ResolvedType =
  | { kind: "primitive"; name: PrimitiveName }
  | { kind: "list"; element: ResolvedType; length?: number }
  | { kind: "option"; inner: ResolvedType }
  | { kind: "result"; ok?: ResolvedType; err?: ResolvedType }
  | { kind: "tuple"; items: ResolvedType[] }
  | { kind: "record"; name: string; docs?: string; fields: { name: string; docs?: string; type: ResolvedType }[] }
  | { kind: "variant"; name: string; docs?: string; cases: { name: string; docs?: string; type?: ResolvedType }[] }
  | { kind: "enum"; name: string; docs?: string; cases: Named[] }
  | { kind: "flags"; name: string; docs?: string; flags: Named[] }
  | { kind: "unsupported"; what: "resource" | "future" | "stream" | "error-context"; name: string };

export interface ResolvedParam {
  name: string;
  docs?: string;
  type: ResolvedType;
}

export interface ExportedFunction {
  /** `ns:pkg/iface@1.0.0` for a function inside an exported interface; absent at world level. */
  interfaceName?: string;
  name: string;
  docs?: string;
  params: ResolvedParam[];
  result?: ResolvedType;
  async?: boolean;
}

export class WitResolveError extends Error {
  override name = "WitResolveError";
}

/** One package's items, with the set of all packages for cross-package `use`. */
interface Context {
  packages: Package[];
  pkg: Package;
}

export function findWorld(packages: Package[], worldName?: string): { pkg: Package; world: World } {
  for (const pkg of packages) {
    for (const world of pkg.worlds) {
      if (worldName === undefined || world.name === worldName) return { pkg, world };
    }
  }
  throw new WitResolveError(worldName ? `no world named "${worldName}" in the WIT` : "the WIT defines no world");
}

/** Every function the world exports, at world level and inside exported interfaces. */
export function exportedFunctions(packages: Package[], worldName?: string): ExportedFunction[] {
  const { pkg, world } = findWorld(packages, worldName);
  const ctx: Context = { packages, pkg };
  const functions: ExportedFunction[] = [];
  for (const item of world.items) {
    if (item.direction !== "export") continue;
    if (item.kind === "function") {
      functions.push(resolveFunc(ctx, world, item.func));
    } else {
      const found = item.inline ? { ctx, iface: item.inline, qualified: item.name } : lookupInterface(ctx, item.name);
      for (const func of found.iface.functions) {
        functions.push({ ...resolveFunc(found.ctx, found.iface, func), interfaceName: found.qualified });
      }
    }
  }
  return functions;
}

/** Interfaces a world imports, as fully qualified names (`wasi:cli/environment@0.2.12`). */
export function importedInterfaces(packages: Package[], worldName?: string): string[] {
  const { world } = findWorld(packages, worldName);
  return world.items.filter((i) => i.direction === "import" && i.kind === "interface").map((i) => (i.kind === "interface" ? i.name : ""));
}

function resolveFunc(ctx: Context, scope: Scope, func: Func): ExportedFunction {
  const params = func.params.map((p) => {
    const param: ResolvedParam = { name: p.name, type: resolveType(ctx, scope, p.type) };
    if (p.docs) param.docs = p.docs;
    return param;
  });
  const resolved: ExportedFunction = { name: func.name, params };
  if (func.docs) resolved.docs = func.docs;
  if (func.result) resolved.result = resolveType(ctx, scope, func.result);
  if (func.async) resolved.async = true;
  return resolved;
}

export function resolveType(ctx: Context, scope: Scope, type: TypeExpr): ResolvedType {
  switch (type.kind) {
    case "primitive":
      return type.name === "error-context" ? { kind: "unsupported", what: "error-context", name: "error-context" } : type;
    case "list": {
      const element = resolveType(ctx, scope, type.element);
      return type.length === undefined ? { kind: "list", element } : { kind: "list", element, length: type.length };
    }
    case "option":
      return { kind: "option", inner: resolveType(ctx, scope, type.inner) };
    case "result":
      return {
        kind: "result",
        ok: type.ok && resolveType(ctx, scope, type.ok),
        err: type.err && resolveType(ctx, scope, type.err),
      };
    case "tuple":
      return { kind: "tuple", items: type.items.map((t) => resolveType(ctx, scope, t)) };
    case "handle":
      return { kind: "unsupported", what: "resource", name: type.resource };
    case "future":
    case "stream":
      return { kind: "unsupported", what: type.kind, name: type.kind };
    case "ref":
      return resolveNamed(ctx, scope, type.name);
  }
}

function resolveNamed(ctx: Context, scope: Scope, name: string): ResolvedType {
  const def = scope.types.find((t) => t.name === name);
  if (def) {
    const body = def.body;
    const docs = def.docs ? { docs: def.docs } : {};
    switch (body.kind) {
      case "alias":
        return resolveType(ctx, scope, body.target);
      case "resource":
        return { kind: "unsupported", what: "resource", name };
      case "record":
        return {
          kind: "record",
          name,
          ...docs,
          fields: body.fields.map((f) => ({ name: f.name, type: resolveType(ctx, scope, f.type), ...(f.docs ? { docs: f.docs } : {}) })),
        };
      case "variant":
        return {
          kind: "variant",
          name,
          ...docs,
          cases: body.cases.map((c) => ({
            name: c.name,
            ...(c.type ? { type: resolveType(ctx, scope, c.type) } : {}),
            ...(c.docs ? { docs: c.docs } : {}),
          })),
        };
      case "enum":
        return { kind: "enum", name, ...docs, cases: body.cases };
      case "flags":
        return { kind: "flags", name, ...docs, flags: body.flags };
    }
  }
  for (const use of scope.uses) {
    const imported = use.names.find((n) => n.as === name);
    if (!imported) continue;
    const found = lookupInterface(ctx, use.from);
    return resolveNamed(found.ctx, found.iface, imported.name);
  }
  throw new WitResolveError(`unknown type "${name}"`);
}

function lookupInterface(ctx: Context, path: string): { ctx: Context; iface: Interface; qualified: string } {
  const alias = ctx.pkg.aliases.find((a) => a.as === path);
  const target = alias ? alias.path : path;
  const slash = target.indexOf("/");
  if (slash === -1) {
    const iface = ctx.pkg.interfaces.find((i) => i.name === target);
    if (!iface) throw new WitResolveError(`unknown interface "${target}"`);
    return { ctx, iface, qualified: qualify(ctx.pkg.name, target) };
  }
  const [pkgPart, rest] = [target.slice(0, slash), target.slice(slash + 1)];
  const at = rest.indexOf("@");
  const ifaceName = at === -1 ? rest : rest.slice(0, at);
  const version = at === -1 ? undefined : rest.slice(at + 1);
  const wanted = version ? `${pkgPart}@${version}` : pkgPart;
  const pkg = ctx.packages.find((p) => p.name === wanted) ?? ctx.packages.find((p) => p.name?.replace(/@.*/, "") === pkgPart);
  const iface = pkg?.interfaces.find((i) => i.name === ifaceName);
  if (!pkg || !iface) throw new WitResolveError(`unknown interface "${target}"`);
  return { ctx: { packages: ctx.packages, pkg }, iface, qualified: target };
}

function qualify(pkgName: string | undefined, iface: string): string {
  if (!pkgName) return iface;
  const at = pkgName.indexOf("@");
  return at === -1 ? `${pkgName}/${iface}` : `${pkgName.slice(0, at)}/${iface}${pkgName.slice(at)}`;
}
