// FileSystem on WASI: every path is opened relative to the preopened directory (a grant) that
// contains it. The host decides what is preopened and enforces read-only; this code only finds
// the right preopen and asks.
import { getDirectories, type Descriptor } from "wasi:filesystem/preopens@0.2.12";
import { outsideGrants } from "airlock:tool/access@0.1.0";
import { FileError, type EntryKind, type FileSystem, type Stat } from "./file-system.js";

const READ = { read: true };
const FOLLOW = { symlinkFollow: true };
const NO_FOLLOW = { symlinkFollow: false };

function kindOf(type: string): EntryKind {
  return type === "regular-file" ? "file" : type === "directory" ? "directory" : type === "symbolic-link" ? "symlink" : "other";
}

/** The error code a WASI call failed with (componentize-js throws it as the payload). */
function errorCode(error: unknown): string {
  const payload = (error as { payload?: unknown })?.payload ?? error;
  return typeof payload === "string" ? payload : String((payload as Error)?.message ?? payload);
}

function explain(path: string, error: unknown): FileError {
  const code = errorCode(error);
  const reasons: Record<string, string> = {
    "no-entry": "no such file or directory",
    "not-permitted": "not permitted by the sandbox",
    access: "access denied by the sandbox",
    "read-only": "the grant is read only",
    "not-directory": "not a directory",
    "is-directory": "is a directory",
  };
  return new FileError(`${path}: ${reasons[code] ?? code}`);
}

export class WasiFileSystem implements FileSystem {
  private readonly preopens = getDirectories()
    .map(([descriptor, dir]) => ({ descriptor, dir: dir.length > 1 ? dir.replace(/\/+$/, "") : dir }))
    .sort((a, b) => b.dir.length - a.dir.length);

  stat(path: string, expected: "file" | "directory" = "file"): Stat {
    const { descriptor, relative } = this.locate(path, expected);
    try {
      const stat = descriptor.statAt(FOLLOW, relative);
      const modified = stat.dataModificationTimestamp;
      return { kind: kindOf(stat.type), size: stat.size, ...(modified ? { modifiedSeconds: modified.seconds } : {}) };
    } catch (error) {
      throw explain(path, error);
    }
  }

  read(path: string, maxBytes: number): Uint8Array {
    const { descriptor, relative } = this.locate(path);
    try {
      const file = descriptor.openAt(FOLLOW, relative, {}, READ);
      const chunks: Uint8Array[] = [];
      let total = 0;
      while (total < maxBytes) {
        const [data, end] = file.read(BigInt(Math.min(65536, maxBytes - total)), BigInt(total));
        chunks.push(data);
        total += data.length;
        if (end || data.length === 0) break;
      }
      const out = new Uint8Array(total);
      let offset = 0;
      for (const chunk of chunks) {
        out.set(chunk, offset);
        offset += chunk.length;
      }
      return out;
    } catch (error) {
      throw explain(path, error);
    }
  }

  list(path: string): { name: string; kind: EntryKind }[] {
    const { descriptor, relative } = this.locate(path, "directory");
    try {
      // A preopened directory itself is opened as "." (the shim cannot list the preopen handle).
      const dir = descriptor.openAt(relative === "." ? FOLLOW : NO_FOLLOW, relative, { directory: true }, READ);
      const stream = dir.readDirectory();
      const entries: { name: string; kind: EntryKind }[] = [];
      for (let entry = stream.readDirectoryEntry(); entry; entry = stream.readDirectoryEntry()) {
        entries.push({ name: entry.name, kind: kindOf(entry.type) });
      }
      return entries;
    } catch (error) {
      throw explain(path, error);
    }
  }

  /** The granted directory that holds `path`: `/data` holds `/data/x`, never `/data2/x`. */
  private locate(path: string, expected: "file" | "directory" = "file"): { descriptor: Descriptor; relative: string } {
    for (const { descriptor, dir } of this.preopens) {
      if (path === dir) return { descriptor, relative: "." };
      const prefix = dir === "/" ? "/" : `${dir}/`;
      if (path.startsWith(prefix)) return { descriptor, relative: path.slice(prefix.length) };
    }
    const granted = this.preopens.map((p) => p.dir);
    // The host audits the denial and names the narrowest grant, with this component's id.
    const directory = expected === "directory" ? path : path.slice(0, path.lastIndexOf("/")) || "/";
    outsideGrants(path, directory, "read");
    throw new FileError(`${path} is outside the directories this tool may read (${granted.length ? granted.join(", ") : "none granted"})`);
  }
}
