// FileSystem on Node's fs, to test the reader's logic natively on real temporary trees.
import { lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import { FileError, type EntryKind, type FileSystem, type Stat } from "../src/file-system.js";

const kindOf = (s: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryKind =>
  s.isSymbolicLink() ? "symlink" : s.isFile() ? "file" : s.isDirectory() ? "directory" : "other";

export const nodeFileSystem: FileSystem = {
  stat(path: string): Stat {
    try {
      const s = statSync(path, { bigint: true });
      return { kind: kindOf(s), size: s.size, modifiedSeconds: s.mtimeMs / 1000n };
    } catch {
      throw new FileError(`${path}: no such file or directory`);
    }
  },
  read(path: string, maxBytes: number): Uint8Array {
    return new Uint8Array(readFileSync(path)).subarray(0, maxBytes);
  },
  list(path: string) {
    return readdirSync(path).map((name) => ({ name, kind: kindOf(lstatSync(`${path}/${name}`)) }));
  },
};
