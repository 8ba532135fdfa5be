// Reads the tool's own WIT package, finds its world and the capability worlds it includes, and
// lays out a WIT folder for componentize-js: the tool's files plus every shared package in deps/.
import { cp, mkdir, readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { parseWit, WitSyntaxError, type Package, type World } from "@airlock/wit-parser";
import { BuildError } from "./errors.js";

export const CAPABILITIES = ["pure", "files", "http", "env"] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface ToolWorld {
  pkg: Package;
  world: World;
  capabilities: Capability[];
}

/** The folder of the `@airlock/wit` package: capabilities/, tool/ and deps/ (WASI). */
export function sharedWitDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve("@airlock/wit/package.json"));
}

export async function readToolWorld(witDir: string, worldName?: string): Promise<ToolWorld> {
  let files: string[];
  try {
    files = (await readdir(witDir)).filter((f) => f.endsWith(".wit"));
  } catch {
    throw new BuildError(`no WIT folder at ${witDir}`, "put the tool's world in wit/world.wit");
  }
  const worlds: { pkg: Package; world: World }[] = [];
  for (const file of files) {
    const path = join(witDir, file);
    try {
      // Errors name the file as the author sees it from the tool folder: wit/world.wit:7:3.
      const label = relative(dirname(witDir), path);
      for (const pkg of parseWit(await readFile(path, "utf8"), label)) for (const world of pkg.worlds) worlds.push({ pkg, world });
    } catch (error) {
      if (error instanceof WitSyntaxError) throw new BuildError(`WIT syntax error at ${error.message}`, "fix the WIT at that line");
      throw error;
    }
  }
  const found = worldName ? worlds.find((w) => w.world.name === worldName) : worlds.length === 1 ? worlds[0] : undefined;
  if (!found) {
    const names = worlds.map((w) => w.world.name).join(", ") || "none";
    throw new BuildError(
      worldName ? `world "${worldName}" is not defined in ${witDir} (found: ${names})` : `expected exactly one world in ${witDir}, found: ${names}`,
      'name the world in package.json: "airlock": { "world": "<name>" }',
    );
  }
  const capabilities = found.world.includes
    .map((path) => /^airlock:capabilities\/([a-z-]+)(@[^/]*)?$/.exec(path)?.[1])
    .filter((c): c is Capability => (CAPABILITIES as readonly string[]).includes(c ?? ""));
  const unknown = found.world.includes.find((path) => {
    const name = /^airlock:capabilities\/([^@]+)/.exec(path)?.[1];
    return name !== undefined && !(CAPABILITIES as readonly string[]).includes(name);
  });
  if (unknown) {
    throw new BuildError(`world "${found.world.name}" includes ${unknown}, which does not exist`, "the capability worlds are airlock:capabilities/pure, files, http and env (@0.1.0)");
  }
  if (capabilities.length === 0) {
    throw new BuildError(`world "${found.world.name}" includes no capability world`, "add `include airlock:capabilities/pure@0.1.0;` (or files, http, env) to the world");
  }
  return { ...found, capabilities };
}

/** Copies the tool's WIT and every shared package into `target`, ready for componentize-js. */
export async function layOutWitTree(toolWitDir: string, target: string): Promise<void> {
  const shared = sharedWitDir();
  await cp(toolWitDir, target, { recursive: true });
  const deps = join(target, "deps");
  await mkdir(deps, { recursive: true });
  await cp(join(shared, "capabilities"), join(deps, "airlock-capabilities"), { recursive: true });
  await cp(join(shared, "tool"), join(deps, "airlock-tool"), { recursive: true });
  for (const dep of await readdir(join(shared, "deps"))) {
    await cp(join(shared, "deps", dep), join(deps, dep), { recursive: true });
  }
}
