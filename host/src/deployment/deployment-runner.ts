// A replica's life with its deployment file: the first sync (the replica is unready until every
// component is fetched, verified and warmed; failures are retried), and reloads on SIGHUP or when
// the file changes (a Kubernetes ConfigMap swaps a symlink in its folder, so the folder is
// watched). Syncs run one at a time; a reload that fails changes nothing.
import { watch, type FSWatcher } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import type { ComponentHost } from "../component-host.js";
import type { HostEvents } from "../mcp/host-events.js";
import { readDeploymentFile, type Deployment } from "./deployment-file.js";
import { Readiness } from "./readiness.js";
import { syncDeployment } from "./sync-deployment.js";

export interface RunnerOptions {
  events: HostEvents;
  log: (message: string) => void;
  /** How long to wait before fetching failed components again while unready. */
  retryMs?: number;
  /** Quiet period after a change of the file's folder before it is read again. */
  debounceMs?: number;
}

export class DeploymentRunner {
  readonly readiness = new Readiness();
  private running: Promise<void> = Promise.resolve();
  private applied: string | undefined;
  private retry: NodeJS.Timeout | undefined;
  private watcher: FSWatcher | undefined;
  private closed = false;

  constructor(
    private readonly host: ComponentHost,
    private deployment: Deployment,
    private readonly options: RunnerOptions,
  ) {}

  /** Applies the file (in the background); watches it and SIGHUP from then on. */
  start(): Promise<void> {
    const first = this.enqueue(() => this.sync(this.deployment));
    this.watchFile();
    process.on("SIGHUP", this.onHangup);
    return first;
  }

  /** Reads the file again and applies it if it changed; resolves once done. */
  reload(why: string): Promise<void> {
    return this.enqueue(async () => {
      let text: string;
      try {
        text = await readFile(this.deployment.file, "utf8");
      } catch (error) {
        return this.options.log(`${why}: cannot read ${this.deployment.file}: ${(error as Error).message}; still serving the previous file`);
      }
      if (text === this.applied && this.readiness.ready) return;
      let next: Deployment;
      try {
        next = await readDeploymentFile(this.deployment.file);
      } catch (error) {
        return this.options.log(`${why}: ${(error as Error).message}\nairlock: still serving the previous file`);
      }
      if (JSON.stringify(serverPart(next)) !== JSON.stringify(serverPart(this.deployment))) {
        this.options.log(`${why}: the server settings of ${basename(next.file)} changed: restart the replica to apply them (components, grants and tool selections are applied now)`);
      }
      this.options.log(`${why}: applying ${next.file}`);
      await this.sync(next, text);
    });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.watcher?.close();
    process.off("SIGHUP", this.onHangup);
  }

  private readonly onHangup = () => void this.reload("SIGHUP");

  private enqueue(work: () => Promise<void>): Promise<void> {
    const run = this.running.then(work);
    this.running = run.catch((error: Error) => this.options.log(`applying the deployment file failed: ${error.message}`));
    return this.running;
  }

  private async sync(deployment: Deployment, text?: string): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.retry);
    const partial = !this.readiness.ready;
    let result;
    try {
      result = await syncDeployment(this.host, deployment, { partial, onWarning: (message) => this.options.log(message) });
    } catch (error) {
      this.options.log(`cannot apply ${deployment.file}: ${(error as Error).message}`);
      if (partial) this.readiness.set({ unapplied: true, total: deployment.components.length, failed: [], starting: [] });
      return this.retryLater();
    }
    for (const failure of result.failed) this.options.log(`component "${failure.id}": ${failure.problem}`);
    if (!result.applied) {
      this.options.log(`${deployment.file} not applied: ${result.failed.map((f) => `"${f.id}"`).join(", ")} could not be fetched or verified; still serving the previous file`);
      return;
    }
    this.deployment = deployment;
    this.applied = text ?? (await readFile(deployment.file, "utf8").catch(() => undefined));
    this.options.events.componentsChanged(result);
    if (result.loaded.length > 0 || result.unloaded.length > 0) {
      this.options.log(`deployment applied: ${[...result.loaded.map((id) => `loaded ${id}`), ...result.unloaded.map((id) => `removed ${id}`)].join(", ")}`);
    }
    const total = deployment.components.length;
    const failed = result.failed.map((f) => f.id);
    const starting = deployment.components.filter((c) => !failed.includes(c.id) && !this.host.isWarm(c.id)).map((c) => c.id);
    if (partial) this.readiness.set({ total, failed, starting });
    for (const component of deployment.components) {
      if (failed.includes(component.id)) continue;
      try {
        await this.host.warm(component.id);
      } catch (error) {
        this.options.log(`component "${component.id}" could not be started: ${(error as Error).message}`);
        failed.push(component.id);
      }
    }
    this.readiness.set({ total, failed, starting: [] });
    if (failed.length > 0) {
      this.options.log(`not ready: waiting for ${failed.map((id) => `"${id}"`).join(", ")}; retrying in ${(this.options.retryMs ?? 10_000) / 1000} s`);
      this.retryLater();
    } else if (partial) this.options.log(`ready: serving ${deployment.components.length} component(s) from ${deployment.file}`);
  }

  private retryLater(): void {
    if (this.closed) return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.enqueue(() => this.sync(this.deployment)), this.options.retryMs ?? 10_000);
    this.retry.unref();
  }

  private watchFile(): void {
    let timer: NodeJS.Timeout | undefined;
    try {
      this.watcher = watch(dirname(this.deployment.file), () => {
        clearTimeout(timer);
        timer = setTimeout(() => void this.reload(`${basename(this.deployment.file)} changed`), this.options.debounceMs ?? 300);
      });
      this.watcher.on("error", (error) => this.options.log(`stopped watching ${this.deployment.file}: ${error.message}; reload with SIGHUP`));
    } catch (error) {
      this.options.log(`cannot watch ${this.deployment.file}: ${(error as Error).message}; reload with SIGHUP`);
    }
  }
}

/** What a reload cannot change in a running replica. */
function serverPart(deployment: Deployment): unknown {
  const { components: _components, file: _file, ...server } = deployment;
  return server;
}
