// Runs componentize-js (StarlingMonkey) with only the engine features the capabilities need.
import { componentize } from "@bytecodealliance/componentize-js";
import { engineError } from "./engine-errors.js";
import { BuildError } from "./errors.js";
import { missingExportError } from "./exports-check.js";
import { openWholeDiskForTheBuild } from "./preopen.js";
import type { Capability } from "./wit-tree.js";

type Feature = "stdio" | "random" | "clocks" | "http" | "fetch-event";
const ALL_FEATURES: Feature[] = ["stdio", "random", "clocks", "http", "fetch-event"];

/** Engine features each capability world needs; everything else is compiled out. */
const FEATURES_BY_CAPABILITY: Record<Capability, Feature[]> = {
  pure: [],
  files: ["stdio", "clocks", "random"],
  env: ["stdio", "clocks", "random"],
  http: ["stdio", "clocks", "random", "http"],
};

export function disabledFeatures(capabilities: Capability[]): Feature[] {
  const enabled = new Set(capabilities.flatMap((c) => FEATURES_BY_CAPABILITY[c]));
  return ALL_FEATURES.filter((f) => !enabled.has(f));
}

export async function componentizeBundle(options: {
  sourcePath: string;
  witPath: string;
  worldName: string;
  capabilities: Capability[];
  /** The entry as the author knows it (src/component.ts), for error messages. */
  entryLabel: string;
  /** The bundle's source map (JSON, sources relative to the tool), to name the tool's line in engine errors. */
  sourceMap?: string;
}): Promise<Uint8Array> {
  openWholeDiskForTheBuild();
  try {
    const { component } = await componentize({
      sourcePath: options.sourcePath,
      witPath: options.witPath,
      worldName: options.worldName,
      disableFeatures: disabledFeatures(options.capabilities),
    });
    return component;
  } catch (error) {
    const missing = /does not export a "([^"]+)" function/.exec(String((error as Error).message));
    if (missing?.[1]) throw missingExportError(options.entryLabel, options.worldName, [`"${missing[1]}"`], [`export function ${missing[1]}(...) { ... }`]);
    const message = String((error as Error).message ?? error);
    throw engineError(message, options.sourceMap) ?? new BuildError(`componentize-js failed: ${firstLines(message)}`, hintFor(message));
  }
}

function firstLines(text: string): string {
  return text
    .split("\n")
    .filter((l) => l.trim())
    .slice(0, 6)
    .join("\n  ");
}

function hintFor(message: string): string {
  if (/export|not exported|missing/i.test(message)) return "export a function from the entry for every function the world exports (kebab-case names become camelCase)";
  if (/\bwit\b|world|interface|package/i.test(message)) return "check that the entry implements the world and that the WIT resolves";
  // Wizer runs the module in the engine: a trap or an exception there is the code, not the WIT.
  return "the component's engine could not run the module's top-level code; see the message above and README.md \"Engine gaps\" of @airlock/tool-build";
}
