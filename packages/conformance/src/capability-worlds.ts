// What each capability world allows a component to import, read from airlock:capabilities
// (wit/capabilities/capabilities.wit) rather than kept as a second list here, and the world check.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { importedInterfaces, parseWit, type Package } from "@airlock/wit-parser";
import type { AllowedImport } from "./case-file.js";

/** World name -> the interfaces it imports, without versions (`wasi:http/types`). */
export type CapabilityWorlds = Map<string, string[]>;

/**
 * Interfaces no capability world grants but that a component could still import to reach out.
 * The capabilities WIT lists only what worlds allow; raw sockets are denied in every world.
 */
const NEVER_GRANTED = /^wasi:sockets\//;

export function capabilitiesWitFile(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@airlock/wit/package.json")), "capabilities", "capabilities.wit");
}

export async function readCapabilityWorlds(file = capabilitiesWitFile()): Promise<CapabilityWorlds> {
  const packages: Package[] = parseWit(await readFile(file, "utf8"), file);
  const worlds: CapabilityWorlds = new Map();
  for (const pkg of packages) {
    for (const world of pkg.worlds) worlds.set(world.name, importedInterfaces(packages, world.name).map(withoutVersion));
  }
  return worlds;
}

export function withoutVersion(name: string): string {
  return name.replace(/@[^/]*$/, "");
}

export interface WorldVerdict {
  ok: boolean;
  message: string;
}

/**
 * Compares what a component imports with the capability worlds it declares. An import is
 * capability-gated when some capability world grants it (or it is a socket); a gated import
 * that none of the declared worlds grants is a mismatch, unless the case file allows it with a
 * reason. Other imports (clocks, randomness, I/O streams, the captured stdio) every world gets.
 */
export function checkImports(imports: string[], declared: string[], worlds: CapabilityWorlds, allowed: AllowedImport[] = []): WorldVerdict {
  const unknown = declared.filter((w) => !worlds.has(w));
  if (unknown.length > 0) {
    return { ok: false, message: `unknown capability world "${unknown.join(", ")}" (airlock:capabilities defines ${[...worlds.keys()].join(", ")})` };
  }
  const grantedBy = (name: string) => [...worlds].filter(([, list]) => list.includes(name)).map(([world]) => world);
  const inDeclared = new Set(declared.flatMap((w) => worlds.get(w) ?? []));
  const problems: string[] = [];
  const excused: string[] = [];
  for (const full of imports) {
    const name = withoutVersion(full);
    const gated = NEVER_GRANTED.test(name) || grantedBy(name).length > 0;
    if (!gated || inDeclared.has(name)) continue;
    const excuse = allowed.find((a) => a.interface === name);
    if (excuse) {
      excused.push(`${full} (allowed by the case file: ${excuse.reason})`);
      continue;
    }
    const by = grantedBy(name);
    problems.push(by.length > 0 ? `${full}, which only the ${by.map((w) => `"${w}"`).join(" or ")} world allows` : `${full}, which no capability world allows`);
  }
  const worldText = declared.length === 1 ? `world "${declared[0]}"` : `worlds ${declared.map((w) => `"${w}"`).join(" + ")}`;
  if (problems.length > 0) return { ok: false, message: `declares ${worldText} but imports ${problems.join("; ")}` };
  const gatedImports = imports.filter((i) => inDeclared.has(withoutVersion(i)));
  const summary = gatedImports.length === 0 ? "imports no capability interface" : `imports only what it allows (${gatedImports.join(", ")})`;
  return { ok: true, message: excused.length > 0 ? `${summary}; also ${excused.join("; ")}` : summary };
}
