// componentize-js takes most of a build (~10 s on 2 cores) and its output depends only on what it
// is given: the bundle, the WIT tree, the world, the engine features and its own version. A
// build that changes none of them (a release only bumps the version, which goes into a custom
// section afterwards) reuses the last component instead of running it again.
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** Entries kept per tool: the current build and a few before it (a revert hits too). */
const KEEP = 4;

export interface ComponentizeInputs {
  bundlePath: string;
  witPath: string;
  worldName: string;
  disabledFeatures: string[];
}

/** The tool's cache folder: where bundlers and linters keep theirs, ignored with node_modules. */
export function cacheDirFor(toolDir: string): string {
  return join(toolDir, "node_modules", ".cache", "airlock-tool-build");
}

export async function cacheKey(inputs: ComponentizeInputs): Promise<string> {
  const hash = createHash("sha256");
  hash.update(`componentize-js ${await componentizeVersion()}\0world ${inputs.worldName}\0without ${inputs.disabledFeatures.join(",")}\0`);
  hash.update(await readFile(inputs.bundlePath));
  for (const file of await filesUnder(inputs.witPath)) {
    hash.update(`\0${relative(inputs.witPath, file)}\0`);
    hash.update(await readFile(file));
  }
  return hash.digest("hex");
}

export async function cachedComponent(dir: string, key: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(join(dir, `${key}.wasm`));
  } catch {
    return undefined;
  }
}

/** Stores a component (written aside, then renamed: a build stopped half-way leaves no torn entry). */
export async function storeComponent(dir: string, key: string, component: Uint8Array): Promise<void> {
  await mkdir(dir, { recursive: true });
  const partial = join(dir, `${key}.${process.pid}.partial`);
  await writeFile(partial, component);
  await rename(partial, join(dir, `${key}.wasm`));
  const entries = await Promise.all((await readdir(dir)).filter((f) => f.endsWith(".wasm")).map(async (f) => ({ file: join(dir, f), modified: (await stat(join(dir, f))).mtimeMs })));
  for (const old of entries.sort((a, b) => b.modified - a.modified).slice(KEEP)) await rm(old.file, { force: true });
}

let engineVersion: Promise<string> | undefined;

/** componentize-js's version, from its package.json (which its exports do not expose). */
function componentizeVersion(): Promise<string> {
  engineVersion ??= (async () => {
    const entry = fileURLToPath(import.meta.resolve("@bytecodealliance/componentize-js"));
    const manifest = join(dirname(entry), "..", "package.json");
    return (JSON.parse(await readFile(manifest, "utf8")) as { version: string }).version;
  })();
  return engineVersion;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
