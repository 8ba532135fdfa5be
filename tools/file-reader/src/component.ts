// The component's exports: the reader's operations on WASI. A FileError becomes the WIT error
// string; anything else is a bug and traps. The exports' types come from wit/world.wit (generated
// into src/generated/ by every build), so tsc checks them against the world.
import { FileError } from "./file-system.js";
import type { Exports } from "./generated/world.js";
import * as reader from "./reader.js";
import { WasiFileSystem } from "./wasi-file-system.js";

function run<T>(operation: (fs: WasiFileSystem) => T): T {
  try {
    return operation(new WasiFileSystem());
  } catch (error) {
    if (error instanceof FileError) throw error.message;
    throw error;
  }
}

export const readFile: Exports["readFile"] = (path, startLine, endLine) => run((fs) => reader.readFile(fs, path, startLine, endLine));
export const listDirectory: Exports["listDirectory"] = (path, depth) => run((fs) => reader.listDirectory(fs, path, depth));
export const searchFiles: Exports["searchFiles"] = (path, pattern, text) => run((fs) => reader.searchFiles(fs, path, pattern, text));
export const fileMetadata: Exports["fileMetadata"] = (path) => run((fs) => reader.fileMetadata(fs, path));
