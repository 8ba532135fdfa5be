// The core of the host, shared by `airlock serve` and `airlock call`: loads the store's
// components, keeps the tool catalog, and runs validated calls in the components' workers.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ConversionError, formatProblems, guestToJson, jsonToGuest } from "@airlock/schema";
import { ComponentWorker, type CallHooks, type GuestOutput } from "./executor/component-worker.js";
import { enableWasmFeatures } from "./executor/wasm-features.js";
import type { AirlockHome } from "./home.js";
import { describeCached, type ComponentDescription } from "./loader/describe-component.js";
import { transpileCached } from "./loader/transpile-cache.js";
import { ComponentStore, type StoredComponent } from "./store/component-store.js";
import { defineTools, ToolCatalog, type ToolDefinition } from "./tools/tool-definitions.js";

export interface HostOptions {
  home: AirlockHome;
  /** Wall-clock limit per call. */
  timeoutMs?: number;
  onGuestOutput?: (output: GuestOutput) => void;
  /** Problems that do not stop the host (a component that cannot be loaded). */
  onWarning?: (message: string) => void;
}

export type ToolOutcome =
  /** `json` is undefined when the function returns nothing. */
  | { kind: "ok"; json: unknown }
  | { kind: "invalid-arguments"; message: string }
  | { kind: "error-result"; json: unknown }
  | { kind: "trap"; message: string };

interface LoadedComponent {
  entry: StoredComponent;
  description: ComponentDescription;
  tools: ToolDefinition[];
  worker: Promise<ComponentWorker>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

export class ComponentHost {
  readonly store: ComponentStore;
  readonly catalog = new ToolCatalog();
  private readonly components = new Map<string, LoadedComponent>();

  constructor(private readonly options: HostOptions) {
    this.store = new ComponentStore(options.home.components);
  }

  /** Loads every stored component; one that cannot be loaded is reported and skipped. */
  async loadAll(): Promise<void> {
    const entries = await this.store.list();
    const described = await Promise.all(
      entries.map(async (entry) => {
        try {
          return { entry, description: await this.describe(entry) };
        } catch (error) {
          this.options.onWarning?.(`skipped component "${entry.id}": ${(error as Error).message}`);
          return undefined;
        }
      }),
    );
    for (const item of described) {
      if (!item) continue;
      try {
        this.register(item.entry, item.description);
      } catch (error) {
        this.options.onWarning?.(`skipped component "${item.entry.id}": ${(error as Error).message}`);
      }
    }
  }

  /** Reads a component's exports and checks they can be served, without running it. */
  describe(entry: StoredComponent): Promise<ComponentDescription> {
    return describeCached(this.options.home.transpileCache, entry.sha256, () => readFile(entry.path));
  }

  componentIds(): string[] {
    return [...this.components.keys()];
  }

  component(id: string): { entry: StoredComponent; description: ComponentDescription; tools: ToolDefinition[] } | undefined {
    return this.components.get(id);
  }

  async callTool(name: string, args: Record<string, unknown>, hooks: CallHooks = {}): Promise<ToolOutcome> {
    const tool = this.catalog.get(name);
    if (!tool) throw new Error(`unknown tool "${name}"`);
    const problems = tool.validate(args);
    if (problems.length > 0) return { kind: "invalid-arguments", message: `invalid arguments for ${name}: ${formatProblems(problems)}` };
    let guestArgs: unknown[];
    try {
      guestArgs = tool.fn.params.map((p) => jsonToGuest(p.type, args[p.name], `/${p.name}`));
    } catch (error) {
      if (error instanceof ConversionError) return { kind: "invalid-arguments", message: `invalid arguments for ${name}: ${error.message}` };
      throw error;
    }
    let worker: ComponentWorker;
    try {
      worker = await this.components.get(tool.componentId)!.worker;
    } catch (error) {
      return { kind: "trap", message: `component "${tool.componentId}" could not be started: ${(error as Error).message}` };
    }
    const result = tool.fn.result;
    const outcome = await worker.call({ exportPath: tool.exportPath, args: guestArgs, returnsResult: result?.kind === "result" }, hooks);
    if (outcome.ok === true) {
      if (!result) return { kind: "ok", json: undefined };
      const value = result.kind === "result" ? (result.ok ? guestToJson(result.ok, outcome.value) : null) : guestToJson(result, outcome.value);
      return { kind: "ok", json: value };
    }
    if (outcome.kind === "error-result") {
      const errType = result?.kind === "result" ? result.err : undefined;
      return { kind: "error-result", json: errType ? guestToJson(errType, outcome.payload) : null };
    }
    return { kind: "trap", message: `${tool.componentId} trapped in ${name}: ${outcome.message}` };
  }

  async close(): Promise<void> {
    await Promise.all([...this.components.values()].map(async (c) => (await c.worker.catch(() => undefined))?.close()));
  }

  private register(entry: StoredComponent, description: ComponentDescription): void {
    const tools = defineTools(entry.id, description);
    this.catalog.add(tools);
    const worker = this.prepareWorker(entry);
    // Preparation runs in the background; a failure surfaces on the first call.
    worker.catch((error: Error) => this.options.onWarning?.(`component "${entry.id}" could not be prepared: ${error.message}`));
    this.components.set(entry.id, { entry, description, tools, worker });
  }

  private async prepareWorker(entry: StoredComponent): Promise<ComponentWorker> {
    const transpiled = await transpileCached(this.options.home.transpileCache, entry.sha256, () => readFile(entry.path));
    enableWasmFeatures();
    const modules: Record<string, WebAssembly.Module> = {};
    for (const file of transpiled.coreFiles) modules[file] = await WebAssembly.compile(await readFile(join(transpiled.dir, file)));
    const worker = new ComponentWorker(
      { componentId: entry.id, jsUrl: pathToFileURL(transpiled.jsFile).href, modules },
      {
        timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxOutputLine: 8 * 1024,
        onOutput: (output) => this.options.onGuestOutput?.(output),
      },
    );
    await worker.warm();
    return worker;
  }
}
