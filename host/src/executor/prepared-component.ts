// A component ready to run: transpiled and compiled once; its worker is (re)started with the
// sandbox its current policy grants. When the policy changes, the next call gets a new worker.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { transpileCached } from "../loader/transpile-cache.js";
import type { StoredComponent } from "../store/component-store.js";
import { ComponentWorker, type WorkerOptions } from "./component-worker.js";
import type { SandboxConfig } from "./protocol.js";
import { enableWasmFeatures } from "./wasm-features.js";

export class PreparedComponent {
  private worker: { version: string; worker: Promise<ComponentWorker> } | undefined;

  private constructor(
    private readonly id: string,
    private readonly jsUrl: string,
    private readonly modules: Record<string, WebAssembly.Module>,
  ) {}

  static async prepare(entry: StoredComponent, transpileCache: string): Promise<PreparedComponent> {
    const transpiled = await transpileCached(transpileCache, entry.sha256, () => readFile(entry.path));
    enableWasmFeatures();
    const modules: Record<string, WebAssembly.Module> = {};
    for (const file of transpiled.coreFiles) modules[file] = await WebAssembly.compile(await readFile(join(transpiled.dir, file)));
    return new PreparedComponent(entry.id, pathToFileURL(transpiled.jsFile).href, modules);
  }

  /** The worker for this policy version, started (in the background) if it is not running. */
  workerFor(version: string, configure: () => Promise<{ sandbox: SandboxConfig; options: WorkerOptions }>): Promise<ComponentWorker> {
    if (this.worker?.version === version) return this.worker.worker;
    const previous = this.worker?.worker;
    const next = (async () => {
      const { sandbox, options } = await configure();
      const worker = new ComponentWorker({ componentId: this.id, jsUrl: this.jsUrl, modules: this.modules, sandbox }, options);
      await worker.warm();
      return worker;
    })();
    this.worker = { version, worker: next };
    void previous?.then((w) => w.closeWhenIdle()).catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await (await this.worker?.worker.catch(() => undefined))?.close();
  }
}
