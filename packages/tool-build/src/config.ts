// What to build, read from the tool's package.json (`airlock` key) with defaults that fit the
// layout of tools/<name>: wit/ with the world, src/component.ts as the entry, dist/<name>.wasm.
import { readFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { BuildError } from "./errors.js";

export interface ToolConfig {
  /** The tool's folder. */
  dir: string;
  /** Component name: the output file is dist/<name>.wasm and the host's id is <name>. */
  name: string;
  /** World to build, from the tool's own WIT package. Defaults to the only world in wit/. */
  world?: string;
  /** Source entry that implements the world's exports. */
  entry: string;
  witDir: string;
  outFile: string;
  /** esbuild loaders by file extension, e.g. { ".dic": "text" } to embed data files. */
  loaders: Record<string, "text" | "binary" | "base64" | "json">;
  version: string;
  /** Where the world's TypeScript types are generated (`airlock.types`), if the tool wants them. */
  typesDir?: string;
}

interface PackageJson {
  name?: string;
  version?: string;
  airlock?: { name?: string; world?: string; entry?: string; types?: string; loaders?: ToolConfig["loaders"] };
}

export async function readToolConfig(toolDir: string): Promise<ToolConfig> {
  const dir = resolve(toolDir);
  const manifestPath = join(dir, "package.json");
  let manifest: PackageJson;
  try {
    manifest = JSON.parse(await readFile(manifestPath, "utf8")) as PackageJson;
  } catch (error) {
    throw new BuildError(`cannot read ${manifestPath}: ${(error as Error).message}`, "run the build from a tool folder that has a package.json");
  }
  const options = manifest.airlock ?? {};
  const name = options.name ?? basename(dir);
  return {
    dir,
    name,
    world: options.world,
    entry: join(dir, options.entry ?? "src/component.ts"),
    witDir: join(dir, "wit"),
    outFile: join(dir, "dist", `${name}.wasm`),
    loaders: options.loaders ?? {},
    version: manifest.version ?? "0.0.0",
    ...(options.types ? { typesDir: join(dir, options.types) } : {}),
  };
}
