// Keeps a running host in step with its store: when another process (`airlock load`, `airlock
// unload`, a tool author's watch mode) changes $AIRLOCK_HOME/components, the components whose
// sha256 changed are reloaded, removed ones unloaded, and `onChange` is told which (the server
// then sends notifications/tools/list_changed). Changes are debounced; the store writes by
// rename, and a component that cannot be read yet is retried on the next change.
import { watch, type FSWatcher } from "node:fs";
import { mkdir } from "node:fs/promises";
import type { ComponentHost } from "../component-host.js";

export interface StoreChanges {
  loaded: string[];
  unloaded: string[];
}

export interface StoreWatcherOptions {
  /** Quiet period after the last file event before the store is read again. */
  debounceMs?: number;
  onChange: (changes: StoreChanges) => void;
  onWarning?: (message: string) => void;
}

export interface StoreWatcher {
  close(): void;
  /** Resolves once the changes seen so far have been applied (for tests). */
  settled(): Promise<void>;
}

type WatchedHost = Pick<ComponentHost, "store" | "component" | "componentIds" | "loadOne" | "unloadOne">;

export async function watchStore(host: WatchedHost, options: StoreWatcherOptions): Promise<StoreWatcher> {
  await mkdir(host.store.dir, { recursive: true });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let pending = false;

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (pending) return;
      pending = true;
      running = running.then(async () => {
        pending = false;
        const changes = await applyStore(host, options.onWarning);
        if (changes.loaded.length > 0 || changes.unloaded.length > 0) options.onChange(changes);
      });
    }, options.debounceMs ?? 150);
  };

  const watcher: FSWatcher = watch(host.store.dir, (_event, file) => {
    const name = file?.toString() ?? "";
    if (name === "" || /\.(wasm|json)$/.test(name)) schedule();
  });
  watcher.on("error", (error) => options.onWarning?.(`stopped watching ${host.store.dir}: ${error.message}`));
  return {
    close: () => {
      clearTimeout(timer);
      watcher.close();
    },
    settled: () => running,
  };
}

/** Brings the host's loaded components in line with the store; returns what changed. */
export async function applyStore(host: WatchedHost, onWarning?: (message: string) => void): Promise<StoreChanges> {
  const changes: StoreChanges = { loaded: [], unloaded: [] };
  let entries;
  try {
    entries = await host.store.list();
  } catch (error) {
    onWarning?.(`cannot read the store: ${(error as Error).message}`);
    return changes;
  }
  const stored = new Set(entries.map((e) => e.id));
  for (const entry of entries) {
    if (host.component(entry.id)?.entry.sha256 === entry.sha256) continue;
    const wasLoaded = host.component(entry.id) !== undefined;
    try {
      await host.loadOne(entry.id);
      changes.loaded.push(entry.id);
    } catch (error) {
      // Loaded meanwhile by this host itself (the load-component tool), or not readable yet.
      if (host.component(entry.id)?.entry.sha256 === entry.sha256) continue;
      onWarning?.(`could not reload component "${entry.id}": ${(error as Error).message}`);
      if (wasLoaded && !host.component(entry.id)) changes.unloaded.push(entry.id);
    }
  }
  for (const id of host.componentIds()) {
    if (!stored.has(id) && (await host.unloadOne(id))) changes.unloaded.push(id);
  }
  return changes;
}
