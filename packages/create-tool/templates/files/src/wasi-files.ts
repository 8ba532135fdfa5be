// Reading a whole file through WASI: the host preopens each directory the user granted, at the
// same absolute path it has on the host. The types come from the WIT (src/generated/).
import { outsideGrants } from "airlock:tool/access@0.1.0";
import { getDirectories } from "wasi:filesystem/preopens@0.2.12";
import { {{pascalFunction}}Error } from "./{{function}}.js";

const MAX_BYTES = 4 * 1024 * 1024;

export function readTextFile(path: string): string {
  if (!path.startsWith("/")) throw new {{pascalFunction}}Error(`"${path}" is not an absolute path: give the file's full path`);
  const directories = getDirectories();
  const preopen = directories.find(([, dir]) => path === dir || path.startsWith(dir.endsWith("/") ? dir : `${dir}/`));
  if (!preopen) {
    const granted = directories.map(([, dir]) => dir).join(", ") || "none granted";
    // The host audits the denial and adds the narrowest grant that allows it, with this tool's id.
    outsideGrants(path, path.slice(0, path.lastIndexOf("/")) || "/", "read");
    throw new {{pascalFunction}}Error(`${path} is outside the directories this tool may read (${granted})`);
  }
  const [descriptor, dir] = preopen;
  const relative = path.slice(dir.length).replace(/^\/+/, "");
  try {
    const file = descriptor.openAt({ symlinkFollow: true }, relative, {}, { read: true });
    const chunks: Uint8Array[] = [];
    let offset = 0n;
    for (;;) {
      const [chunk, end] = file.read(65536n, offset);
      chunks.push(chunk);
      offset += BigInt(chunk.length);
      if (offset > MAX_BYTES) throw new {{pascalFunction}}Error(`${path} is larger than ${MAX_BYTES / 1024 / 1024} MiB`);
      if (end || chunk.length === 0) break;
    }
    const bytes = new Uint8Array(Number(offset));
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    return new TextDecoder().decode(bytes);
  } catch (error) {
    if (error instanceof {{pascalFunction}}Error) throw error;
    const code = (error as { payload?: unknown })?.payload ?? error;
    throw new {{pascalFunction}}Error(`cannot read ${path}: ${typeof code === "string" ? code : String(code)}`);
  }
}
