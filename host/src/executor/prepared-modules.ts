// A component's core modules as the workers compile them: each capped at the memory limit, with
// its mutable globals and tables exported for resets (state-exports.ts) and, where it can start
// from an image, rewritten to import its memory (recyclable-module.ts). The
// rewrite reads every byte of the module (~0.5 s for the grammar checker's 31 MB on 2 cores), so
// its output is kept beside the transpiled component, one folder per limit: every later process
// (a one-shot `airlock call`, each replica, each `serve`) reads it instead. A folder is written
// aside and renamed into place, so a crash never leaves a partial one; one that cannot be written
// (a read-only cache) or is damaged only costs the rewrite again.
import { open, readdir, readFile, rm, type FileHandle } from "node:fs/promises";
import { writeAtomically, writeFolderAtomically } from "../atomic-files.js";
import { basename, join } from "node:path";
import { readCustomSections } from "@airlock/wit-parser";
import { adviseHugePages } from "./huge-pages.js";
import { capMemory, PAGE } from "./memory-limit.js";
import { makeRecyclable, type MemoryImage } from "./recyclable-module.js";
import { exposeState } from "./reset/state-exports.js";
import { mayWriteTables } from "./reset/table-writes.js";
import { statefulBuiltin } from "./reset/canon-builtins.js";
import { SOURCE_MAP_SECTION } from "./uncaught.js";

/** Bump when the rewrite's output or this layout changes. */
const FORMAT = "prepared-v3";
const IMAGE_SUFFIX = ".image";
const RESET_BLOCKER_SUFFIX = ".no-reset.txt";
/** Present when the module's code may write a table (table-writes.ts). */
const WRITES_TABLES_SUFFIX = ".writes-tables";
/** The tool's source map, taken out of its component once (finding it reads the whole component). */
const SOURCE_MAP_FILE = `${FORMAT}-source-map.json`;
/** The canonical built-in that keeps the component from being reset, if any ("" for none). */
const BUILTINS_FILE = `${FORMAT}-stateful-builtin.txt`;
/** minPages, maxPages, number of run words; then the runs (u32 pairs), then the bytes. */
const IMAGE_HEADER_WORDS = 3;

export interface PreparedModule {
  file: string;
  /** The bytes to compile: capped, and rewritten when `image` is set. */
  module: Uint8Array;
  image?: MemoryImage;
  /** Why an instance of the module cannot be reset after a call (instance-reset.ts), if it cannot. */
  resetBlocker?: string;
  /** Whether its code may write a table after instantiation: a reset must then restore tables. */
  writesTables?: boolean;
}

/**
 * The core modules of a transpiled component, ready to compile for `limitBytes`; rewritten to
 * start from an image unless `recycle` is false. From the cache folder when an earlier process
 * made them.
 */
export async function preparedModules(transpiledDir: string, coreFiles: string[], limitBytes: number, recycle: boolean): Promise<PreparedModule[]> {
  const dir = join(transpiledDir, `${FORMAT}-${Math.floor(limitBytes / PAGE)}p${recycle ? "" : "-fresh"}`);
  // A folder that cannot be read as written (damaged on disk) is made again.
  const cached = await readPrepared(dir, coreFiles).catch(() => rm(dir, { recursive: true, force: true }).then(() => undefined));
  if (cached) return cached;
  const prepared: PreparedModule[] = [];
  for (const path of coreFiles) {
    const file = basename(path);
    const exposed = exposeState(capMemory(await readFile(path), limitBytes));
    const writesTables = mayWriteTables(exposed.module) ? { writesTables: true } : {};
    const recyclable = recycle ? makeRecyclable(exposed.module) : undefined;
    if (recyclable && "module" in recyclable) {
      prepared.push({ file, ...recyclable, ...(exposed.resetBlocker ? { resetBlocker: exposed.resetBlocker } : {}), ...writesTables });
      continue;
    }
    // A module without a memory of its own needs no image; one whose memory cannot have one
    // cannot be reset either (its memory would be new at each instance, not restored).
    const noImage = exposed.definesMemory ? `its memory cannot start from an image: ${recyclable?.unsupported ?? "recycling is off"}` : undefined;
    const resetBlocker = exposed.resetBlocker ?? noImage;
    prepared.push({ file, module: exposed.module, ...(resetBlocker ? { resetBlocker } : {}), ...writesTables });
  }
  await writePrepared(dir, prepared).catch(() => undefined);
  return prepared;
}

/** The source map the component carries (its airlock-source-map section), or undefined. */
export function componentSourceMap(transpiledDir: string, read: () => Promise<Uint8Array>): Promise<string | undefined> {
  return keptBeside(join(transpiledDir, SOURCE_MAP_FILE), async () => {
    const section = readCustomSections(await read()).find((s) => s.name === SOURCE_MAP_SECTION);
    return section ? new TextDecoder().decode(section.payload) : undefined;
  });
}

/**
 * Why jco's glue would keep state between the component's calls (canon-builtins.ts), or
 * undefined. `handlesCleared`: the transpiled glue empties its handle tables (glue-handles.ts).
 */
export function componentStatefulBuiltin(transpiledDir: string, read: () => Promise<Uint8Array>, handlesCleared: boolean): Promise<string | undefined> {
  return keptBeside(join(transpiledDir, BUILTINS_FILE), async () => statefulBuiltin(await read(), handlesCleared));
}

/** A fact about the component read from the whole of it once, then from `file` ("" for none). */
async function keptBeside(file: string, read: () => Promise<string | undefined>): Promise<string | undefined> {
  try {
    const kept = await readFile(file, "utf8");
    return kept === "" ? undefined : kept;
  } catch {
    const fact = await read();
    await writeAtomically(file, fact ?? "").catch(() => undefined);
    return fact;
  }
}

async function readPrepared(dir: string, coreFiles: string[]): Promise<PreparedModule[] | undefined> {
  let names: Set<string>;
  try {
    names = new Set(await readdir(dir));
  } catch {
    return undefined;
  }
  const out: PreparedModule[] = [];
  for (const path of coreFiles) {
    const file = basename(path);
    if (!names.has(file)) return undefined;
    const prepared: PreparedModule = { file, module: await readLarge(join(dir, file)) };
    if (names.has(file + IMAGE_SUFFIX)) prepared.image = await readImage(join(dir, file + IMAGE_SUFFIX));
    if (names.has(file + RESET_BLOCKER_SUFFIX)) prepared.resetBlocker = await readFile(join(dir, file + RESET_BLOCKER_SUFFIX), "utf8");
    if (names.has(file + WRITES_TABLES_SUFFIX)) prepared.writesTables = true;
    out.push(prepared);
  }
  return out;
}

function writePrepared(dir: string, prepared: PreparedModule[]): Promise<void> {
  const files: Record<string, Uint8Array> = {};
  for (const { file, module, image, resetBlocker, writesTables } of prepared) {
    files[file] = module;
    if (image) files[file + IMAGE_SUFFIX] = encodeImage(image);
    if (resetBlocker) files[file + RESET_BLOCKER_SUFFIX] = new TextEncoder().encode(resetBlocker);
    if (writesTables) files[file + WRITES_TABLES_SUFFIX] = new Uint8Array();
  }
  // Another process may have renamed the same folder into place first: theirs is as good.
  return writeFolderAtomically(dir, files);
}

function encodeImage(image: MemoryImage): Uint8Array {
  const header = Uint32Array.of(image.minPages, image.maxPages, image.runs.length);
  const out = new Uint8Array(header.byteLength + image.runs.byteLength + image.bytes.byteLength);
  out.set(new Uint8Array(header.buffer), 0);
  out.set(new Uint8Array(image.runs.buffer, image.runs.byteOffset, image.runs.byteLength), header.byteLength);
  out.set(new Uint8Array(image.bytes), header.byteLength + image.runs.byteLength);
  return out;
}

/** Reads an image with its bytes straight into the SharedArrayBuffer the workers restore from. */
async function readImage(path: string): Promise<MemoryImage> {
  const file = await open(path, "r");
  try {
    const header = new Uint32Array(IMAGE_HEADER_WORDS);
    await file.read(new Uint8Array(header.buffer), 0, header.byteLength, 0);
    const [minPages, maxPages, runWords] = header as unknown as [number, number, number];
    const runs = new Uint32Array(runWords);
    await file.read(new Uint8Array(runs.buffer), 0, runs.byteLength, header.byteLength);
    const size = (await file.stat()).size - header.byteLength - runs.byteLength;
    if (size < 0) throw new Error(`${path} ends early`);
    const bytes = new SharedArrayBuffer(size);
    await readInto(file, new Uint8Array(bytes), header.byteLength + runs.byteLength, path);
    return { minPages, maxPages, runs, bytes };
  } finally {
    await file.close();
  }
}

/** A file read whole into a new buffer marked for huge pages (huge-pages.ts): a module is MBs. */
async function readLarge(path: string): Promise<Uint8Array> {
  const file = await open(path, "r");
  try {
    const bytes = new Uint8Array((await file.stat()).size);
    await readInto(file, bytes, 0, path);
    return bytes;
  } finally {
    await file.close();
  }
}

/** Fills `target` from `file` at `position`, its pages marked for huge pages before the first write. */
async function readInto(file: FileHandle, target: Uint8Array, position: number, path: string): Promise<void> {
  adviseHugePages(target);
  for (let done = 0; done < target.byteLength;) {
    const { bytesRead } = await file.read(target, done, target.byteLength - done, position + done);
    if (bytesRead === 0) throw new Error(`${path} ends early`);
    done += bytesRead;
  }
}
