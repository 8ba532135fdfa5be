// A component ready to run: transpiled once, compiled once per memory limit (the cap is written
// into the core modules), and served by a pool of workers started with the sandbox its current
// policy grants. When the policy changes, the next call gets a new pool.
import { availableParallelism } from "node:os";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { transpileCached } from "../loader/transpile-cache.js";
import { ComponentWorker, type WorkerOptions } from "./component-worker.js";
import { capMemory } from "./memory-limit.js";
import type { SandboxConfig } from "./protocol.js";
import { enableWasmFeatures } from "./wasm-features.js";
import { WorkerPool } from "./worker-pool.js";
import { readCustomSections } from "@airlock/wit-parser";
import { SOURCE_MAP_SECTION } from "./uncaught.js";

/** A component's bytes and identity: a stored component, or one about to be stored. */
export interface ComponentSource {
  id: string;
  sha256: string;
  read: () => Promise<Uint8Array>;
}

export interface RunSettings {
  sandbox: SandboxConfig;
  options: WorkerOptions;
  memoryLimitBytes: number;
  maxResultBytes: number;
  poolSize?: number;
  maxQueue?: number;
}

export class PreparedComponent {
  private pool: { version: string; pool: Promise<WorkerPool> } | undefined;
  private readonly compiled = new Map<number, Promise<Record<string, WebAssembly.Module>>>();

  private constructor(
    private readonly id: string,
    private readonly jsUrl: string,
    private readonly coreFiles: Record<string, Uint8Array>,
    /** The tool's source map, for naming its own file and line in an uncaught exception. */
    private readonly sourceMap: string | undefined,
  ) {}

  static async prepare(source: ComponentSource, transpileCache: string): Promise<PreparedComponent> {
    const transpiled = await transpileCached(transpileCache, source.sha256, source.read);
    const coreFiles: Record<string, Uint8Array> = {};
    for (const file of transpiled.coreFiles) coreFiles[file] = await readFile(join(transpiled.dir, file));
    const mapSection = readCustomSections(await source.read()).find((s) => s.name === SOURCE_MAP_SECTION);
    const sourceMap = mapSection ? new TextDecoder().decode(mapSection.payload) : undefined;
    return new PreparedComponent(source.id, pathToFileURL(transpiled.jsFile).href, coreFiles, sourceMap);
  }

  /** The pool for this policy version, started (in the background) if it is not running. */
  poolFor(version: string, configure: () => Promise<RunSettings>): Promise<WorkerPool> {
    if (this.pool?.version === version) return this.pool.pool;
    const previous = this.pool?.pool;
    const next = (async () => {
      const settings = await configure();
      const modules = await this.modulesFor(settings.memoryLimitBytes);
      const init = {
        componentId: this.id,
        jsUrl: this.jsUrl,
        modules,
        sandbox: settings.sandbox,
        memoryLimitBytes: settings.memoryLimitBytes,
        maxResultBytes: settings.maxResultBytes,
        ...(this.sourceMap ? { sourceMap: this.sourceMap } : {}),
      };
      const pool = new WorkerPool(this.id, () => new ComponentWorker(init, settings.options), settings.poolSize ?? availableParallelism(), settings.maxQueue ?? 64);
      await pool.warm();
      return pool;
    })();
    this.pool = { version, pool: next };
    void previous?.then((p) => p.closeWhenIdle()).catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await (await this.pool?.pool.catch(() => undefined))?.close();
  }

  private modulesFor(limitBytes: number): Promise<Record<string, WebAssembly.Module>> {
    let modules = this.compiled.get(limitBytes);
    if (!modules) {
      modules = (async () => {
        enableWasmFeatures();
        const out: Record<string, WebAssembly.Module> = {};
        for (const [file, bytes] of Object.entries(this.coreFiles)) out[file] = await WebAssembly.compile(capMemory(bytes, limitBytes));
        return out;
      })();
      this.compiled.set(limitBytes, modules);
    }
    return modules;
  }
}
