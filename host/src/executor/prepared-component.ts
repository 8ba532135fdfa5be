// A component ready to run: transpiled once, compiled once per memory limit (the cap is written
// into the core modules), and served by a pool of workers started with the sandbox its current
// policy grants. When the policy changes, the next call gets a new pool. A core module that can
// start from a memory image is compiled rewritten to import its memory (recyclable-module.ts);
// the rewritten modules are kept in the transpile cache (prepared-modules.ts).
import { availableParallelism } from "node:os";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { transpileCached } from "../loader/transpile-cache.js";
import { ComponentWorker, type WorkerOptions } from "./component-worker.js";
import type { MemoryImage } from "./recyclable-module.js";
import { componentSourceMap, componentStatefulBuiltin, preparedModules, type PreparedModule } from "./prepared-modules.js";
import { glueRunsGuestCodeLater } from "./recycled-memories.js";
import { glueImportsWasi } from "./glue-imports.js";
import { glueClearsHandles } from "./reset/glue-handles.js";
import type { SandboxConfig } from "./protocol.js";
import { enableWasmFeatures } from "./wasm-features.js";
import { WorkerPool, type PoolObserver } from "./worker-pool.js";
import { collectSoon } from "./collect-garbage.js";

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
  /** Told of the pool's queue (the metrics). */
  observer?: PoolObserver;
  /** Stops a worker left idle this long (undefined: never). */
  idleStopMs?: number;
}

export class PreparedComponent {
  private pool: { version: string; pool: Promise<WorkerPool> } | undefined;
  private readonly compiled = new Map<number, Promise<CompiledModules>>();
  /** Called once a worker has been handed this component's compiled code (see workerStarted). */
  private markWorkerStarted!: () => void;
  private readonly firstWorker = new Promise<void>((resolve) => (this.markWorkerStarted = resolve));

  private constructor(
    private readonly id: string,
    private readonly jsUrl: string,
    /** The component's folder in the transpile cache, where its prepared modules are kept too. */
    private readonly transpiledDir: string,
    /** The core modules' files in the transpile cache: read when compiled, not kept (tens of MiB). */
    private readonly coreFiles: string[],
    /** The tool's source map, for naming its own file and line in an uncaught exception. */
    private readonly sourceMap: string | undefined,
    /** Why instances may not share a Memory one after another, if they may not (see below). */
    private readonly noRecycling: string | undefined,
    /** The canonical built-in whose state jco's glue keeps between calls, if it uses one. */
    private readonly statefulBuiltin: string | undefined,
    /** Whether the component imports WASI (its workers load the shim only then). */
    private readonly importsWasi: boolean,
    /** Whether its glue empties its handle tables when asked (glue-handles.ts): resets may then clear them. */
    private readonly clearsHandles: boolean,
    /** Whether the transpile cache had the component (the metrics count hits and misses). */
    readonly transpiledFromCache: boolean,
  ) {}

  static async prepare(source: ComponentSource, transpileCache: string): Promise<PreparedComponent> {
    // A component new to the cache is read once, for its transpile and its source map alike.
    let bytes: Promise<Uint8Array> | undefined;
    const read = () => (bytes ??= source.read());
    const transpiled = await transpileCached(transpileCache, source.sha256, read);
    const coreFiles = transpiled.coreFiles.map((file) => join(transpiled.dir, file));
    const sourceMap = await componentSourceMap(transpiled.dir, read);
    const glue = await readFile(transpiled.jsFile, "utf8");
    const clearsHandles = glueClearsHandles(glue);
    const builtin = await componentStatefulBuiltin(transpiled.dir, read, clearsHandles);
    const noRecycling = glueRunsGuestCodeLater(glue);
    return new PreparedComponent(
      source.id,
      pathToFileURL(transpiled.jsFile).href,
      transpiled.dir,
      coreFiles,
      sourceMap,
      noRecycling,
      builtin,
      glueImportsWasi(glue),
      clearsHandles,
      transpiled.fromCache,
    );
  }

  /** The pool for this policy version, started (in the background) if it is not running. */
  poolFor(version: string, configure: () => Promise<RunSettings>): Promise<WorkerPool> {
    if (this.pool?.version === version) return this.pool.pool;
    const previous = this.pool?.pool;
    const next = (async () => {
      const settings = await configure();
      const { modules, memoryImages, resetBlocker, resetTables } = await this.modulesFor(settings.memoryLimitBytes);
      const init = {
        componentId: this.id,
        jsUrl: this.jsUrl,
        modules,
        memoryImages,
        sandbox: settings.sandbox,
        memoryLimitBytes: settings.memoryLimitBytes,
        maxResultBytes: settings.maxResultBytes,
        importsWasi: this.importsWasi,
        reset: resetBlocker === undefined,
        resetTables,
        ...(this.sourceMap ? { sourceMap: this.sourceMap } : {}),
      };
      const pool = new WorkerPool(
        this.id,
        () => new ComponentWorker(init, settings.options),
        settings.poolSize ?? availableParallelism(),
        settings.maxQueue ?? 64,
        settings.observer,
        settings.idleStopMs,
        () => this.letGoIdle(next),
      );
      // The worker is handed its component synchronously within warm(): it now imports the glue
      // and instantiates on its own thread while this one is free.
      const warming = pool.warm();
      this.markWorkerStarted();
      await warming;
      return pool;
    })();
    this.pool = { version, pool: next };
    void previous?.then((p) => p.closeWhenIdle()).catch(() => undefined);
    return next;
  }

  /**
   * Idleness stopped every worker of `pool`: the compiled modules and memory images go too (wire
   * bytes, code and images: ~25-70 MiB for a componentize-js tool, in the host's own thread),
   * and the next call compiles them again from the prepared modules in the transpile cache
   * (~0.1 s). A call that already holds `pool` still runs: the pool starts a worker on what it was given.
   */
  private letGoIdle(pool: Promise<WorkerPool>): void {
    if (this.pool?.pool !== pool) return;
    this.pool = undefined;
    this.compiled.clear();
    collectSoon();
  }

  /** Resolves once a worker of this component has been handed its compiled code (the first time). */
  workerStarted(): Promise<void> {
    return this.firstWorker;
  }

  async close(): Promise<void> {
    await (await this.pool?.pool.catch(() => undefined))?.close();
  }

  /** Stops taking calls; the workers stop once the calls already made are answered. */
  async closeWhenIdle(): Promise<void> {
    await (await this.pool?.pool.catch(() => undefined))?.closeWhenIdle();
  }

  /**
   * Why an instance of this component must not be reset and reused, if it must not. Besides the
   * core modules' own state, jco's glue keeps JavaScript state for resources (handle tables),
   * async tasks and canonical built-ins (error contexts, waitable sets, streams): a reset restores
   * only the handle tables, emptied by the rewritten glue (glue-handles.ts). The WASI shim is one
   * per worker, shared by every instance the worker makes, reset or new: what a guest holds of it
   * it holds through those handles.
   */
  private resetBlocker(prepared: PreparedModule[]): string | undefined {
    if (this.noRecycling) return this.noRecycling;
    if (this.statefulBuiltin) return this.statefulBuiltin;
    if (this.importsWasi && !this.clearsHandles) return "it imports WASI, and its glue's handle tables (files, streams) cannot be emptied between calls";
    const blocked = prepared.find((m) => m.resetBlocker);
    return blocked ? `core module ${blocked.file}: ${blocked.resetBlocker}` : undefined;
  }

  private modulesFor(limitBytes: number): Promise<CompiledModules> {
    let modules = this.compiled.get(limitBytes);
    if (!modules) {
      modules = (async () => {
        enableWasmFeatures();
        const prepared = await preparedModules(this.transpiledDir, this.coreFiles, limitBytes, !this.noRecycling);
        const out: CompiledModules = { modules: {}, memoryImages: {}, resetBlocker: this.resetBlocker(prepared), resetTables: prepared.some((m) => m.writesTables) };
        for (const { file, module, image } of prepared) {
          if (image) out.memoryImages[file] = image;
          out.modules[file] = await WebAssembly.compile(module);
        }
        return out;
      })();
      this.compiled.set(limitBytes, modules);
    }
    return modules;
  }
}

interface CompiledModules {
  modules: Record<string, WebAssembly.Module>;
  /** Why its instances are not reset between calls, if they are not (each call then gets a new one). */
  resetBlocker: string | undefined;
  /** Whether a reset restores tables: some module's code may write one (table-writes.ts). */
  resetTables: boolean;
  /** Images of the modules compiled to import their memory, by file name. */
  memoryImages: Record<string, MemoryImage>;
}
