// The file reader's operations, on any FileSystem. Results follow the WIT world (camelCase).
import picomatch from "picomatch";
import { FileError, type EntryKind, type FileSystem } from "./file-system.js";

export const MAX_READ_BYTES = 1024 * 1024;
export const MAX_DEPTH = 10;
export const MAX_ENTRIES = 5000;
export const MAX_MATCHES = 1000;

export interface FileContent {
  path: string;
  lines: { number: number; text: string }[];
  totalLines: number;
  truncated: boolean;
}

export interface Entry {
  path: string;
  kind: EntryKind;
  size?: bigint;
}

export interface Match {
  path: string;
  line: number;
  text: string;
}

export function checkAbsolute(path: string): string {
  if (!path.startsWith("/")) throw new FileError(`"${path}" is not an absolute path: give the full path, starting with /`);
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

export function readFile(fs: FileSystem, rawPath: string, startLine?: number, endLine?: number): FileContent {
  const path = checkAbsolute(rawPath);
  const stat = fs.stat(path, "file");
  if (stat.kind === "directory") throw new FileError(`${path} is a directory: use list-directory`);
  const bytes = fs.read(path, MAX_READ_BYTES + 1);
  const truncated = bytes.length > MAX_READ_BYTES;
  const content = truncated ? bytes.subarray(0, MAX_READ_BYTES) : bytes;
  if (looksBinary(content)) throw new FileError(`${path} looks like a binary file (it contains NUL bytes or is not UTF-8 text); only text files can be read`);
  const all = new TextDecoder().decode(content).split(/\r?\n/);
  if (all.length > 1 && all[all.length - 1] === "") all.pop();
  const first = Math.max(1, startLine ?? 1);
  const last = Math.min(all.length, endLine ?? all.length);
  if (startLine !== undefined && endLine !== undefined && endLine < startLine) {
    throw new FileError(`end-line ${endLine} is before start-line ${startLine}`);
  }
  const lines = [];
  for (let n = first; n <= last; n++) lines.push({ number: n, text: all[n - 1]! });
  return { path, lines, totalLines: all.length, truncated };
}

function looksBinary(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return true;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, Math.min(bytes.length, 65536)));
    return false;
  } catch {
    // A cut in the middle of a multi-byte character at the sample's end is not binary.
    return bytes.length <= 65536;
  }
}

export function listDirectory(fs: FileSystem, rawPath: string, depth = 0): Entry[] {
  const root = checkAbsolute(rawPath);
  if (depth > MAX_DEPTH) throw new FileError(`depth ${depth} is more than the limit of ${MAX_DEPTH}`);
  if (fs.stat(root, "directory").kind !== "directory") throw new FileError(`${root} is not a directory`);
  const entries: Entry[] = [];
  const walk = (dir: string, level: number) => {
    for (const { name, kind } of fs.list(dir).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entries.length >= MAX_ENTRIES) throw new FileError(`more than ${MAX_ENTRIES} entries under ${root}: list a smaller directory or a smaller depth`);
      const path = dir === "/" ? `/${name}` : `${dir}/${name}`;
      const entry: Entry = { path, kind };
      if (kind === "file") entry.size = fs.stat(path).size;
      entries.push(entry);
      if (kind === "directory" && level < depth) walk(path, level + 1);
    }
  };
  walk(root, 0);
  return entries;
}

export function searchFiles(fs: FileSystem, rawPath: string, pattern?: string, text?: string): Match[] {
  const root = checkAbsolute(rawPath);
  const isMatch = pattern ? picomatch(pattern, { dot: false }) : () => true;
  const matches: Match[] = [];
  for (const entry of listDirectory(fs, root, MAX_DEPTH)) {
    if (entry.kind !== "file") continue;
    const relative = entry.path.slice(root.length + 1);
    if (!isMatch(relative)) continue;
    if (text === undefined) {
      matches.push({ path: entry.path, line: 0, text: "" });
    } else {
      let content: FileContent;
      try {
        content = readFile(fs, entry.path);
      } catch {
        continue; // binary or unreadable files have no text to match
      }
      for (const line of content.lines) if (line.text.includes(text)) matches.push({ path: entry.path, line: line.number, text: line.text });
    }
    if (matches.length >= MAX_MATCHES) break;
  }
  return matches.slice(0, MAX_MATCHES);
}

export function fileMetadata(fs: FileSystem, rawPath: string) {
  const path = checkAbsolute(rawPath);
  const stat = fs.stat(path);
  return { path, kind: stat.kind, size: stat.size, modifiedSeconds: stat.modifiedSeconds };
}
