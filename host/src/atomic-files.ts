// Files and folders written aside and renamed into place: a crash, or a process stopped half-way,
// never leaves half of one where readers look. Used by the store, the transpile cache and the
// prepared-module cache alike.
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, data);
  await rename(temp, path);
}

/**
 * A folder of `files` (name -> content) at `dir`, written aside and renamed into place. Fails
 * (leaving nothing behind) when `dir` already exists, e.g. another process finished it first.
 */
export async function writeFolderAtomically(dir: string, files: Record<string, Uint8Array | string>): Promise<void> {
  const temp = `${dir}.${process.pid}.${Date.now()}.tmp`;
  await mkdir(temp, { recursive: true });
  try {
    for (const [name, content] of Object.entries(files)) await writeFile(join(temp, name), content);
    await rename(temp, dir);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
