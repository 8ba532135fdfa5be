// The file operations the reader needs. The component implements them on WASI
// (wasi-file-system.ts); the unit tests on Node's fs, over the same logic.

export type EntryKind = "file" | "directory" | "symlink" | "other";

export interface Stat {
  kind: EntryKind;
  size: bigint;
  modifiedSeconds?: bigint;
}

export interface FileSystem {
  /** `expected` says what the caller looks for, so a denial can suggest the right directory. */
  stat(path: string, expected?: "file" | "directory"): Stat;
  /** At most `maxBytes` bytes from the start of the file. */
  read(path: string, maxBytes: number): Uint8Array;
  /** Names and kinds of a directory's entries. */
  list(path: string): { name: string; kind: EntryKind }[];
}

/** A failure to show the caller: what went wrong with which path. */
export class FileError extends Error {
  override name = "FileError";
}
