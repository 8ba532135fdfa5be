// What to check: the tool folder, its component, its case file and the capability worlds it
// declares, from the options or the defaults of the tools/<name> layout.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { parseWit } from "@airlock/wit-parser";
import { readCaseFile, type CaseFile } from "./case-file.js";
import { ConformanceError } from "./errors.js";

export interface ConformanceOptions {
  /** A tool folder (tools/<name>): its component is dist/<name>.wasm, its cases conformance.yaml. */
  toolDir?: string;
  /** A component file, when there is no tool folder. */
  component?: string;
  /** The case file; default <toolDir>/conformance.yaml when it exists. */
  casesFile?: string;
  /** The capability world(s) to hold the component to (`pure`, or `files,http`). */
  world?: string;
}

export interface Target {
  /** The tool folder, or the folder of the component when there is none: `{tool}` in cases. */
  dir: string;
  component: string;
  /** The id the host gives the component: its file name without `.wasm`. */
  id: string;
  cases: CaseFile;
  /** Declared capability worlds; empty when nothing declares one. */
  worlds: string[];
  /** Where the declared worlds came from, for messages. */
  worldSource: string;
}

export function resolveTarget(options: ConformanceOptions): Target {
  if (!options.toolDir && !options.component) throw new ConformanceError("give a tool folder or a component file");
  const component = options.component ? resolve(options.component) : undefined;
  const toolDir = options.toolDir ? resolve(options.toolDir) : toolFolderOf(component!);
  const dir = toolDir ?? dirname(component!);
  const casesFile = options.casesFile ? resolve(options.casesFile) : existsSync(join(dir, "conformance.yaml")) ? join(dir, "conformance.yaml") : undefined;
  const cases: CaseFile = casesFile ? readCaseFile(casesFile) : { file: "(no case file)", allowImports: [], cases: [] };
  const manifest = toolDir ? readManifest(toolDir) : {};
  const file = component ?? (cases.component ? resolve(dir, cases.component) : join(dir, "dist", `${manifest.airlock?.name ?? basename(dir)}.wasm`));
  if (!existsSync(file)) {
    throw new ConformanceError(`${file} does not exist: run pnpm build first${toolDir ? ` (or pnpm --filter ${manifest.name ?? "<tool>"} build)` : ""}`);
  }
  const declared = options.world
    ? { worlds: split(options.world), source: "--world" }
    : cases.world
      ? { worlds: split(cases.world), source: cases.file }
      : toolDir
        ? declaredInWit(toolDir, manifest.airlock?.world)
        : { worlds: [], source: "nothing" };
  return { dir, component: file, id: basename(file).replace(/\.wasm$/, ""), cases, worlds: declared.worlds, worldSource: declared.source };
}

interface Manifest {
  name?: string;
  airlock?: { name?: string; world?: string };
}

function readManifest(toolDir: string): Manifest {
  try {
    return JSON.parse(readFileSync(join(toolDir, "package.json"), "utf8")) as Manifest;
  } catch {
    return {};
  }
}

/** <tool>/dist/<name>.wasm belongs to <tool> when <tool> has a package.json. */
function toolFolderOf(component: string): string | undefined {
  const parent = dirname(component);
  return basename(parent) === "dist" && existsSync(join(parent, "..", "package.json")) ? dirname(parent) : undefined;
}

function split(world: string): string[] {
  return world
    .split(/[,+]/)
    .map((w) => w.trim())
    .filter(Boolean);
}

/** The capability worlds the tool's own world includes (`include airlock:capabilities/pure@...`). */
function declaredInWit(toolDir: string, worldName: string | undefined): { worlds: string[]; source: string } {
  const witDir = join(toolDir, "wit");
  const files = existsSync(witDir) ? readdirSync(witDir).filter((f) => f.endsWith(".wit")) : [];
  for (const name of files) {
    const path = join(witDir, name);
    for (const pkg of parseWit(readFileSync(path, "utf8"), path)) {
      for (const world of pkg.worlds) {
        if (worldName && world.name !== worldName) continue;
        const worlds = world.includes.map((i) => /^airlock:capabilities\/([a-z-]+)/.exec(i)?.[1]).filter((w): w is string => Boolean(w));
        if (worlds.length > 0) return { worlds, source: `${path} (world ${world.name})` };
      }
    }
  }
  return { worlds: [], source: "nothing" };
}

/**
 * Why the component is older than the tool's source, if it is: checking it would check code the
 * author has already changed. Looks at `src/` and `wit/` of a tool folder (not generated files).
 */
export function staleBuild(target: Target): string | undefined {
  if (!existsSync(join(target.dir, "package.json"))) return undefined;
  const built = statSync(target.component).mtimeMs;
  let newest: { file: string; mtime: number } | undefined;
  for (const folder of ["src", "wit"]) {
    const root = join(target.dir, folder);
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || entry.parentPath.includes(`${sep}generated`) || entry.parentPath.includes(`${sep}deps`)) continue;
      const file = join(entry.parentPath, entry.name);
      const mtime = statSync(file).mtimeMs;
      if (!newest || mtime > newest.mtime) newest = { file, mtime };
    }
  }
  if (!newest || newest.mtime <= built) return undefined;
  const name = (JSON.parse(readFileSync(join(target.dir, "package.json"), "utf8")) as { name?: string }).name ?? "<its package>";
  return `${relative(process.cwd(), target.component)} is older than ${relative(process.cwd(), newest.file)}: rebuild the tool first (pnpm --filter ${name} build)`;
}
