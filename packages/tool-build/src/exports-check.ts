// Checks, before the slow componentize step, that the bundled entry exports every function (and
// interface) the world exports, and says exactly what to add when one is missing.
import { readFile } from "node:fs/promises";
import type { TypeExpr, World } from "@airlock/wit-parser";
import { BuildError } from "./errors.js";

/** `check-grammar` -> `checkGrammar`: the JavaScript name componentize-js expects. */
export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The names the module must export: one per world-level function, one object per interface. */
export function expectedExports(world: World): { name: string; witName: string; signature: string }[] {
  return world.items
    .filter((item) => item.direction === "export")
    .map((item) => {
      if (item.kind === "function") {
        const params = item.func.params.map((p) => `${camelCase(p.name)}: ${tsType(p.type)}`).join(", ");
        const result = item.func.result ? tsType(item.func.result) : "void";
        return { name: camelCase(item.func.name), witName: item.func.name, signature: `export function ${camelCase(item.func.name)}(${params}): ${result} { ... }` };
      }
      const short = camelCase(item.name.replace(/@.*$/, "").split("/").pop() ?? item.name);
      return { name: short, witName: item.name, signature: `export const ${short} = { /* the interface's functions */ };` };
    });
}

export async function checkExports(options: { world: World; witFiles: string[]; moduleExports: string[]; entryLabel: string; witLabel: (file: string) => string }): Promise<void> {
  const present = new Set(options.moduleExports);
  const missing = expectedExports(options.world).filter((e) => !present.has(e.name));
  if (missing.length === 0) return;
  const described = await Promise.all(missing.map(async (m) => `"${m.witName}"${await witLocation(options.witFiles, m.witName, options.witLabel)}`));
  throw missingExportError(
    options.entryLabel,
    options.world.name,
    described,
    missing.map((m) => m.signature),
  );
}

/** `names` are quoted WIT names, optionally followed by where the WIT declares them. */
export function missingExportError(entryLabel: string, world: string, names: string[], signatures: string[]): BuildError {
  const list = names.join(", ");
  const plural = names.length > 1;
  const fixes = signatures;
  return new BuildError(
    `${entryLabel}: the world "${world}" exports ${list} but the module does not export ${plural ? "them" : "it"}`,
    `add to ${entryLabel}:\n    ${fixes.join("\n    ")}\n  (kebab-case WIT names are camelCase in JavaScript)`,
  );
}

async function witLocation(files: string[], witName: string, label: (file: string) => string): Promise<string> {
  const pattern = new RegExp(`^[ \\t]*export\\s+${witName.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\s*[:;]`, "m");
  for (const file of files) {
    const text = await readFile(file, "utf8");
    const match = pattern.exec(text);
    if (match) return ` (${label(file)}:${text.slice(0, match.index).split("\n").length})`;
  }
  return "";
}

const NUMBERS = new Set(["u8", "u16", "u32", "s8", "s16", "s32", "f32", "f64", "float32", "float64"]);

function tsType(type: TypeExpr): string {
  switch (type.kind) {
    case "primitive":
      if (type.name === "string" || type.name === "char") return "string";
      if (type.name === "bool") return "boolean";
      if (type.name === "u64" || type.name === "s64") return "bigint";
      return NUMBERS.has(type.name) ? "number" : type.name;
    case "list":
      return type.element.kind === "primitive" && type.element.name === "u8" ? "Uint8Array" : `${tsType(type.element)}[]`;
    case "option":
      return `${tsType(type.inner)} | undefined`;
    case "result":
      return type.ok ? tsType(type.ok) : "void";
    case "tuple":
      return `[${type.items.map(tsType).join(", ")}]`;
    case "ref":
      return type.name.replace(/(^|-)([a-z0-9])/g, (_, _d: string, c: string) => c.toUpperCase());
    default:
      return "unknown";
  }
}
