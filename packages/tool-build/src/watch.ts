// Watch mode for tool authors: every change to src/ or wit/ rebuilds the tool (in a child
// process, as a normal build) and loads it into the Airlock store, where a running
// `airlock serve` picks it up and tells its clients that the tool list changed.
import { execFile, spawn } from "node:child_process";
import { existsSync, watch, type FSWatcher } from "node:fs";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { readToolConfig } from "./config.js";

const exec = promisify(execFile);
const BUILD_CLI = join(dirname(fileURLToPath(import.meta.url)), "cli.js");

export interface WatchOptions {
  /** Load each successful build into the store with `airlock load` (default true). */
  load?: boolean;
  /** Quiet period after the last change before rebuilding. */
  debounceMs?: number;
  /** Stops watching when aborted. */
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** The `airlock` CLI: $AIRLOCK_CLI, the workspace's host/dist/cli.js above the tool, or `airlock`. */
export function findAirlockCli(toolDir: string): string[] {
  if (process.env.AIRLOCK_CLI) return [process.execPath, process.env.AIRLOCK_CLI];
  for (let dir = resolve(toolDir); dir !== dirname(dir); dir = dirname(dir)) {
    const cli = join(dir, "host", "dist", "cli.js");
    if (existsSync(cli)) return [process.execPath, cli];
  }
  return ["airlock"];
}

export async function watchTool(toolDir: string, options: WatchOptions = {}): Promise<void> {
  const config = await readToolConfig(toolDir);
  const log = options.log ?? ((line: string) => console.error(line));
  const airlock = findAirlockCli(config.dir);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const inputs = [join(config.dir, "src"), config.witDir, join(config.dir, "package.json")];
  let first = true;
  let built = "";
  const cycle = async () => {
    // Rebuild only when a source really changed: the build rewrites the generated types, and
    // some platforms report those writes without their folder.
    const sources = await snapshot(inputs, config.typesDir);
    if (sources === built) return;
    built = sources;
    // An up-to-date dist/<name>.wasm is loaded as it is: no need to wait for a build.
    const fresh = first && (await isUpToDate(config.outFile, inputs, config.typesDir));
    first = false;
    if (fresh) log(`airlock-tool-build: ${relative(process.cwd(), config.outFile)} is up to date`);
    const ok = fresh || (await runBuild(config.dir));
    if (ok && options.load !== false) await load(airlock, config.outFile, config.name, log);
  };
  const trigger = () => {
    if (running) {
      again = true;
      return;
    }
    running = cycle().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        trigger();
      }
    });
  };
  const onChange = (root: string) => (_event: string, file: string | Buffer | null) => {
    const path = file ? join(root, file.toString()) : root;
    if (config.typesDir && (path + "/").startsWith(config.typesDir + "/")) return;
    clearTimeout(timer);
    timer = setTimeout(trigger, options.debounceMs ?? 200);
  };

  const watchers: FSWatcher[] = [];
  for (const root of [join(config.dir, "src"), config.witDir]) {
    if (existsSync(root)) watchers.push(watch(root, { recursive: true }, onChange(root)));
  }
  log(`airlock-tool-build: watching ${relative(process.cwd(), config.dir) || "."}/src and wit/ (Ctrl-C stops)`);
  trigger();
  await new Promise<void>((done) => {
    const stop = () => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
      void Promise.resolve(running).then(() => done());
    };
    if (options.signal?.aborted) stop();
    options.signal?.addEventListener("abort", stop);
    process.once("SIGINT", stop);
  });
}

/** Path, size and modification time of every file under `inputs` (the generated types aside). */
async function snapshot(inputs: string[], typesDir?: string): Promise<string> {
  const lines: string[] = [];
  const visit = async (path: string): Promise<void> => {
    if (typesDir && (path + "/").startsWith(typesDir + "/")) return;
    const info = await stat(path).catch(() => undefined);
    if (!info) return;
    if (!info.isDirectory()) {
      lines.push(`${path}:${info.size}:${info.mtimeMs}`);
      return;
    }
    for (const child of (await readdir(path)).sort()) await visit(join(path, child));
  };
  for (const input of inputs) await visit(input);
  return lines.join("\n");
}

/** Whether `outFile` is newer than every file under `inputs` (the generated types aside). */
async function isUpToDate(outFile: string, inputs: string[], typesDir?: string): Promise<boolean> {
  const built = await stat(outFile).catch(() => undefined);
  if (!built) return false;
  const newest = async (path: string): Promise<number> => {
    if (typesDir && (path + "/").startsWith(typesDir + "/")) return 0;
    const info = await stat(path).catch(() => undefined);
    if (!info) return 0;
    if (!info.isDirectory()) return info.mtimeMs;
    const children = await readdir(path);
    return Math.max(0, ...(await Promise.all(children.map((c) => newest(join(path, c))))));
  };
  const inputTimes = await Promise.all(inputs.map(newest));
  return inputTimes.every((t) => t < built.mtimeMs);
}

function runBuild(toolDir: string): Promise<boolean> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BUILD_CLI, toolDir], { stdio: ["ignore", "inherit", "inherit"] });
    child.on("exit", (code) => done(code === 0));
    child.on("error", () => done(false));
  });
}

/** `airlock load`, keeping the grants of the same component loaded earlier from the same file. */
async function load(airlock: string[], outFile: string, id: string, log: (line: string) => void): Promise<void> {
  const [command, ...prefix] = airlock as [string, ...string[]];
  const work = await mkdtemp(join(tmpdir(), "airlock-watch-"));
  try {
    const args = [...prefix, "load", outFile];
    const listed = await exec(command, [...prefix, "list"]).catch(() => ({ stdout: "" }));
    const sameFile = listed.stdout.split("\n").some((line) => line.startsWith(`${id}\t`) && line.endsWith(`\t${pathToFileURL(outFile).href}`));
    if (sameFile) {
      const policy = await exec(command, [...prefix, "policy", id]).catch(() => undefined);
      if (policy) {
        await writeFile(join(work, "policy.yaml"), policy.stdout);
        args.push("--policy", join(work, "policy.yaml"));
      }
    }
    const { stdout } = await exec(command, args);
    log(stdout.trim());
  } catch (error) {
    log(`airlock-tool-build: airlock load failed: ${((error as { stderr?: string }).stderr || (error as Error).message).trim()}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
