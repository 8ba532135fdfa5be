// node:fs plus the `globSync` Node 20 lacks, for the conformance package only (see
// fs-globsync-register.mjs). Only the patterns it uses are supported: `**/NAME` (a file NAME at
// any depth under `cwd`), answered with paths relative to `cwd` as fs.globSync gives them.
import fs from "node:fs";
import { join } from "node:path";

export * from "node:fs";
export default fs;

export function globSync(pattern, options = {}) {
  const match = /^\*\*\/([^*?[\]{}/]+)$/.exec(pattern);
  if (!match) throw new Error(`fs-with-globsync: unsupported pattern ${pattern} (only **/NAME)`);
  const cwd = options.cwd ?? process.cwd();
  return fs
    .readdirSync(cwd, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name === match[1])
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name).slice(cwd.length + 1));
}
