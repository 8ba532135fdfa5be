// The shape of parsed WIT. Type references stay names (`ref`) until resolve.ts binds them.

export type PrimitiveName = "bool" | "s8" | "s16" | "s32" | "s64" | "u8" | "u16" | "u32" | "u64" | "f32" | "f64" | "char" | "string" | "error-context";

export const PRIMITIVES: ReadonlySet<string> = new Set<PrimitiveName>(["bool", "s8", "s16", "s32", "s64", "u8", "u16", "u32", "u64", "f32", "f64", "char", "string", "error-context"]);

/** A type as written in WIT, before named references are resolved. */
export type TypeExpr =
  | { kind: "primitive"; name: PrimitiveName }
  | { kind: "list"; element: TypeExpr; length?: number }
  | { kind: "option"; inner: TypeExpr }
  | { kind: "result"; ok?: TypeExpr; err?: TypeExpr }
  | { kind: "tuple"; items: TypeExpr[] }
  | { kind: "handle"; mode: "own" | "borrow"; resource: string }
  | { kind: "future" | "stream"; inner?: TypeExpr }
  | { kind: "ref"; name: string };

export interface Documented {
  docs?: string;
}

export interface Named extends Documented {
  name: string;
}

export interface Field extends Documented {
  name: string;
  type: TypeExpr;
}

export interface Case extends Documented {
  name: string;
  type?: TypeExpr;
}

export type TypeDefBody =
  | { kind: "record"; fields: Field[] }
  | { kind: "variant"; cases: Case[] }
  | { kind: "enum"; cases: Named[] }
  | { kind: "flags"; flags: Named[] }
  | { kind: "alias"; target: TypeExpr }
  | { kind: "resource" };

export interface TypeDef extends Documented {
  name: string;
  body: TypeDefBody;
}

export interface Param extends Documented {
  name: string;
  type: TypeExpr;
}

export interface Func extends Documented {
  name: string;
  params: Param[];
  result?: TypeExpr;
  async?: boolean;
}

/** `use a:b/c@1.0.0.{x, y as z};` or `use c.{x};`: names borrowed from another interface. */
export interface Use {
  from: string;
  names: { name: string; as: string }[];
}

export interface Scope {
  types: TypeDef[];
  uses: Use[];
}

export interface Interface extends Documented, Scope {
  name: string;
  functions: Func[];
}

export type WorldItem = { direction: "import" | "export"; kind: "function"; func: Func } | { direction: "import" | "export"; kind: "interface"; name: string; inline?: Interface; docs?: string };

export interface World extends Documented, Scope {
  name: string;
  items: WorldItem[];
  includes: string[];
}

export interface Package extends Documented {
  /** `ns:name@version`, or undefined for a file without a package line. */
  name?: string;
  interfaces: Interface[];
  worlds: World[];
  /** Top-level `use a:b/c@1.0.0 as d;` aliases. */
  aliases: { path: string; as: string }[];
}
