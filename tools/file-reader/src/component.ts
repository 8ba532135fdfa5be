// The component's exports: the reader's operations on WASI. A FileError becomes the WIT error
// string; anything else is a bug and traps.
import { FileError } from "./file-system.js";
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

export const readFile = (path: string, startLine?: number, endLine?: number) => run((fs) => reader.readFile(fs, path, startLine, endLine));
export const listDirectory = (path: string, depth?: number) => run((fs) => reader.listDirectory(fs, path, depth));
export const searchFiles = (path: string, pattern?: string, text?: string) => run((fs) => reader.searchFiles(fs, path, pattern, text));
export const fileMetadata = (path: string) => run((fs) => reader.fileMetadata(fs, path));
