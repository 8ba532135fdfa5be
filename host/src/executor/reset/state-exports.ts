// Rewrites a core module so that the host can see, and put back, all the state an instance of
// it keeps besides linear memory: every mutable global and every table it defines is exported
// under a name of the host's own. A reset (instance-reset.ts) restores them after each call.
//
// A reset is only as good as the list of state it restores, so the rewrite also says why a module
// could not be reset, where it has state that does not live in those places:
// - a passive data or element segment: whether it was dropped is state, and cannot be restored;
// - a global or table of a type whose values can be changed in place (GC structs and arrays,
//   exception references) or cannot be read from JavaScript (v128): restoring the reference
//   would not restore what it points to.
// Linear memory is not exported here: the recyclable rewrite already imports it from the host.
import { concat, encodeLeb, readLeb } from "@airlock/wit-parser/binary";
import { countImports, name, readSections, SECTION, skipConstExpr, skipName, skipTableLimits, skipValType, UnsupportedModule, writeModule, type Section } from "../module-binary.js";

/** Prefixes of the export names the rewrite adds; a global's or table's index follows. */
export const STATE_EXPORT = { global: "airlock:state/global/", table: "airlock:state/table/" } as const;

export interface ExposedState {
  module: Uint8Array;
  /** Whether the module defines a memory (rather than importing one, or having none). */
  definesMemory: boolean;
  /** Why an instance of this module cannot be reset to its state after instantiation, if it cannot. */
  resetBlocker?: string;
}

/** Value types a restored global or table holds completely: i32, i64, f32, f64, funcref, externref. */
const PLAIN_TYPES = new Set([0x7f, 0x7e, 0x7d, 0x7c, 0x70, 0x6f]);
/** Sections that come before the export section, in the order the binary format requires. */
const BEFORE_EXPORTS = new Set<number>([SECTION.type, SECTION.import, SECTION.function, SECTION.table, SECTION.memory, SECTION.tag, SECTION.global]);

/** The module with its mutable globals and tables exported, and why it could not be reset if it could not. */
export function exposeState(module: Uint8Array): ExposedState {
  try {
    return rewrite(module);
  } catch (error) {
    const reason = error instanceof UnsupportedModule ? error.message : `the module could not be read: ${(error as Error).message}`;
    return { module, definesMemory: true, resetBlocker: reason };
  }
}

function rewrite(module: Uint8Array): ExposedState {
  const sections = readSections(module);
  const imported = sections.filter((s) => s.id === SECTION.import).map((s) => countImports(s.body))[0] ?? { tables: 0, globals: 0 };
  const exports: Uint8Array[] = [];
  const definesMemory = sections.some((s) => s.id === SECTION.memory && readLeb(s.body, 0)[0] > 0);
  for (const section of sections) {
    if (section.id === SECTION.global) {
      for (const [index, global] of readGlobals(section.body).entries()) {
        if (global.mutable) exports.push(exportEntry(STATE_EXPORT.global + (imported.globals + index), 0x03, imported.globals + index));
      }
    } else if (section.id === SECTION.table) {
      for (let index = 0; index < readTables(section.body); index++) exports.push(exportEntry(STATE_EXPORT.table + (imported.tables + index), 0x01, imported.tables + index));
    } else if (section.id === SECTION.data) {
      checkDataSegments(section.body);
    } else if (section.id === SECTION.element) {
      checkElementSegments(section.body);
    }
  }
  if (exports.length === 0) return { module, definesMemory };

  const out: Section[] = [];
  let written = false;
  for (const section of sections) {
    if (section.id === SECTION.export) {
      const [count, first] = readLeb(section.body, 0);
      checkNames(section.body, count, first);
      out.push({ id: SECTION.export, body: concat([encodeLeb(count + exports.length), section.body.subarray(first), ...exports]) });
      written = true;
      continue;
    }
    if (!written && section.id !== 0 && !BEFORE_EXPORTS.has(section.id)) {
      out.push({ id: SECTION.export, body: concat([encodeLeb(exports.length), ...exports]) });
      written = true;
    }
    out.push(section);
  }
  if (!written) out.push({ id: SECTION.export, body: concat([encodeLeb(exports.length), ...exports]) });
  return { module: writeModule(module, out), definesMemory };
}

function exportEntry(exportName: string, kind: number, index: number): Uint8Array {
  return concat([name(exportName), Uint8Array.of(kind), encodeLeb(index)]);
}

/** Throws an UnsupportedModule saying what holds a type that is not plain. */
function plainType(byte: number, what: string): void {
  if (PLAIN_TYPES.has(byte)) return;
  throw new UnsupportedModule(`${what} has a type (0x${byte.toString(16)}) whose value a reset could not restore`);
}

function readGlobals(body: Uint8Array): { mutable: boolean }[] {
  const [count, first] = readLeb(body, 0);
  const globals: { mutable: boolean }[] = [];
  let pos = first;
  for (let i = 0; i < count; i++) {
    const afterType = skipValType(body, pos);
    const mutable = body[afterType] === 0x01;
    // An immutable global of another type is fine to leave alone: nothing can change it.
    if (mutable) plainType(body[pos]!, `mutable global ${i}`);
    pos = skipConstExpr(body, afterType + 1);
    globals.push({ mutable });
  }
  return globals;
}

/** How many tables the section defines, each of a type a reset can restore. */
function readTables(body: Uint8Array): number {
  const [count, first] = readLeb(body, 0);
  let pos = first;
  for (let i = 0; i < count; i++) {
    const withInit = body[pos] === 0x40 && body[pos + 1] === 0x00;
    if (withInit) pos += 2;
    plainType(body[pos]!, `table ${i}`);
    pos = skipTableLimits(body, pos + 1);
    if (withInit) pos = skipConstExpr(body, pos);
  }
  return count;
}

function checkDataSegments(body: Uint8Array): void {
  const [count, first] = readLeb(body, 0);
  let pos = first;
  for (let i = 0; i < count; i++) {
    const [flags, afterFlags] = readLeb(body, pos);
    pos = afterFlags;
    if (flags === 0x01) throw new UnsupportedModule(`data segment ${i} is passive: whether it was dropped is state a reset cannot restore`);
    if (flags === 0x02) pos = readLeb(body, pos)[1];
    else if (flags !== 0x00) throw new UnsupportedModule(`data segment ${i} has unknown flags ${flags}`);
    pos = skipConstExpr(body, pos);
    const [length, start] = readLeb(body, pos);
    pos = start + length;
  }
}

function checkElementSegments(body: Uint8Array): void {
  const [count, first] = readLeb(body, 0);
  let pos = first;
  for (let i = 0; i < count; i++) {
    const [flags, afterFlags] = readLeb(body, pos);
    pos = afterFlags;
    if (flags > 7) throw new UnsupportedModule(`element segment ${i} has unknown flags ${flags}`);
    if ((flags & 0x03) === 0x01) throw new UnsupportedModule(`element segment ${i} is passive: whether it was dropped is state a reset cannot restore`);
    const active = (flags & 0x01) === 0;
    if (active && flags & 0x02) pos = readLeb(body, pos)[1]; // table index
    if (active) pos = skipConstExpr(body, pos); // offset
    if (flags & 0x03) pos = flags & 0x04 ? skipValType(body, pos) : pos + 1; // reftype or elemkind
    const [items, afterCount] = readLeb(body, pos);
    pos = afterCount;
    for (let item = 0; item < items; item++) pos = flags & 0x04 ? skipConstExpr(body, pos) : readLeb(body, pos)[1];
  }
}

/** The names the rewrite adds must be its own. */
function checkNames(body: Uint8Array, count: number, first: number): void {
  const decoder = new TextDecoder();
  let pos = first;
  for (let i = 0; i < count; i++) {
    const [length, start] = readLeb(body, pos);
    const exported = decoder.decode(body.subarray(start, start + length));
    if (exported.startsWith("airlock:state/")) throw new UnsupportedModule(`it already exports "${exported}", a name the host uses for its own exports`);
    pos = skipName(body, pos) + 1;
    pos = readLeb(body, pos)[1];
  }
}
