// Runs componentize-js. It reads the WIT through preview2-shim, which has no default preopens:
// give it the whole disk, here only. This module must never be loaded into the host process,
// where that preopen would leak into every guest built without explicit preopens.
import { _setPreopens } from "@bytecodealliance/preview2-shim/filesystem";
import { componentize } from "@bytecodealliance/componentize-js";
import { BuildError } from "./errors.js";
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
}): Promise<Uint8Array> {
  // The browser typings are picked by TypeScript; the Node implementation takes host paths.
  _setPreopens({ "/": "/" } as never);
  try {
    const { component } = await componentize({
      sourcePath: options.sourcePath,
      witPath: options.witPath,
      worldName: options.worldName,
      disableFeatures: disabledFeatures(options.capabilities),
    });
    return component;
  } catch (error) {
    throw new BuildError(`componentize-js failed: ${firstLines((error as Error).message ?? String(error))}`, hintFor(String((error as Error).message)));
  }
}

function firstLines(text: string): string {
  return text.split("\n").filter((l) => l.trim()).slice(0, 6).join("\n  ");
}

function hintFor(message: string): string {
  if (/export|not exported|missing/i.test(message)) return "export a function from the entry for every function the world exports (kebab-case names become camelCase)";
  return "check that the entry implements the world and that the WIT resolves";
}
