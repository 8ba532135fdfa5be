// jco's transpile output (ES module + core wasm files), cached on disk by the component's
// sha256 so that a second start skips the ~1 s transpile. A cache entry is written to a
// temporary folder and renamed into place: a crash never leaves a partial entry.
import { mkdir, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { writeFolderAtomically } from "../atomic-files.js";
import { transpileInProcess } from "./jco-process.js";
import { withClearableHandles } from "../executor/reset/glue-handles.js";

/** Bump when the layout of an entry or the transpile options change. */
const CACHE_FORMAT = "jco-transpile-0.15.0-v3";
export const TRANSPILED_NAME = "component";

export interface TranspiledComponent {
  dir: string;
  /** The generated ES module exporting `instantiate(getCoreModule, imports)`. */
  jsFile: string;
  /** Core wasm file names the module asks for. */
  coreFiles: string[];
  fromCache: boolean;
}

export async function transpileCached(cacheRoot: string, sha256: string, bytes: () => Promise<Uint8Array>): Promise<TranspiledComponent> {
  const dir = join(cacheRoot, `${sha256}-${CACHE_FORMAT}`);
  const jsFile = join(dir, `${TRANSPILED_NAME}.js`);
  if (await exists(jsFile)) return { dir, jsFile, coreFiles: await coreFilesIn(dir), fromCache: true };

  const files = await transpileInProcess(await bytes(), TRANSPILED_NAME);
  // The glue gets a function that empties its handle tables, for resets (glue-handles.ts).
  const glueName = `${TRANSPILED_NAME}.js`;
  const glue = withClearableHandles(new TextDecoder().decode(files[glueName]));
  if (glue !== undefined) files[glueName] = new TextEncoder().encode(glue);
  await mkdir(cacheRoot, { recursive: true });
  try {
    await writeFolderAtomically(dir, { ...(files as Record<string, Uint8Array>), "package.json": '{ "type": "module" }\n' });
  } catch (error) {
    // Another process finished the same entry first: theirs is as good as ours.
    if (!(await exists(jsFile))) throw error;
  }
  return { dir, jsFile, coreFiles: await coreFilesIn(dir), fromCache: false };
}

async function coreFilesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith(".wasm")).sort();
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
