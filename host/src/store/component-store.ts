// The component store: components/<id>.wasm with components/<id>.json beside it. Files are
// written to a temporary name and renamed, so a crash never leaves a half-written component.
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { basename, join } from "node:path";
import { isComponent } from "@airlock/wit-parser";
import { writeAtomically } from "../atomic-files.js";
import { UserError } from "../errors.js";
import type { Policy } from "../policy/policy.js";

export interface StoredComponent {
  id: string;
  /** Where it was loaded from, as given: file://, oci:// or https:// URI. */
  source: string;
  sha256: string;
  /** What an oci:// source resolved to (the manifest digest), or an https:// pin: shows a later tag move. */
  digest?: string;
  /** Permissions the publisher requests (an OCI policy layer): shown to the user, never granted. */
  requested?: Policy;
  /** The trusted key whose signature was verified at load time. */
  signedBy?: string;
  size: number;
  loadedAt: string;
  path: string;
}

const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export class ComponentStore {
  constructor(readonly dir: string) {}

  /** A component id from a file name: `grammar-checker.wasm` -> `grammar-checker`. */
  static idFromFile(file: string): string {
    const id = basename(file)
      .replace(/\.wasm$/i, "")
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-");
    if (!ID_PATTERN.test(id)) {
      throw new UserError(`cannot derive a component id from "${basename(file)}": rename the file to letters, digits, ".", "_" or "-"`);
    }
    return id;
  }

  async add(id: string, bytes: Uint8Array, source: string, origin: Pick<StoredComponent, "digest" | "requested" | "signedBy"> = {}): Promise<StoredComponent> {
    if (!ID_PATTERN.test(id)) throw new UserError(`invalid component id "${id}": use lowercase letters, digits, ".", "_" or "-"`);
    if (!isComponent(bytes)) {
      throw new UserError(`${source} is not a WebAssembly component (a core module or another file): build it as a component, e.g. with componentize-js or wasm-tools component new`);
    }
    await mkdir(this.dir, { recursive: true });
    const entry: StoredComponent = {
      id,
      source,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      size: bytes.length,
      ...origin,
      loadedAt: new Date().toISOString(),
      path: this.wasmPath(id),
    };
    await writeAtomically(this.wasmPath(id), bytes);
    const { path: _path, ...meta } = entry;
    await writeAtomically(this.metaPath(id), JSON.stringify(meta, null, 2) + "\n");
    return entry;
  }

  /** Whether `id` can name a component: it becomes a file name in the store, so no paths. */
  static isValidId(id: string): boolean {
    return ID_PATTERN.test(id);
  }

  async get(id: string): Promise<StoredComponent | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    try {
      const meta = JSON.parse(await readFile(this.metaPath(id), "utf8")) as Omit<StoredComponent, "path">;
      return { ...meta, path: this.wasmPath(id) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async list(): Promise<StoredComponent[]> {
    let files: string[];
    try {
      files = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const ids = files
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.slice(0, -".json".length))
      .sort();
    const entries = await Promise.all(ids.map((id) => this.get(id)));
    return entries.filter((e): e is StoredComponent => e !== undefined);
  }

  async remove(id: string): Promise<boolean> {
    if (!ID_PATTERN.test(id)) return false;
    const existing = await this.get(id);
    if (!existing) return false;
    await rm(this.metaPath(id), { force: true });
    await rm(this.wasmPath(id), { force: true });
    return true;
  }

  private wasmPath(id: string): string {
    return join(this.dir, `${id}.wasm`);
  }

  private metaPath(id: string): string {
    return join(this.dir, `${id}.json`);
  }
}
