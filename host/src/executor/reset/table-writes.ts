// Whether a core module's code can change a table after instantiation: it has one of the
// instructions that write a table (table.set, table.fill, table.copy, table.init, table.grow,
// elem.drop). A component none of whose modules has one keeps its tables as instantiation left
// them, so a reset need not restore them: restoring a componentize-js table (~7,700 function
// references) cost ~0.27 ms, a quarter of a reset.
//
// The answer is read by walking every instruction of every function body. Anything the walker
// does not know (an opcode outside the core, SIMD, atomics, exception and tail-call sets; GC
// instructions), or a walk that does not end exactly where a body ends, answers "it may": the
// caller then restores the tables, as it would for a module that writes them.
import { readLeb } from "@airlock/wit-parser/binary";
import { readSections, SECTION, UnsupportedModule } from "../module-binary.js";

/** Whether the module's code may write a table; true when in doubt. */
export function mayWriteTables(module: Uint8Array): boolean {
  try {
    const code = readSections(module).find((s) => s.id === SECTION.code);
    return code ? codeWritesTables(code.body) : false;
  } catch {
    return true;
  }
}

class WritesTable extends Error {}

function codeWritesTables(body: Uint8Array): boolean {
  const [count, first] = readLeb(body, 0);
  let pos = first;
  try {
    for (let i = 0; i < count; i++) {
      const [size, start] = readLeb(body, pos);
      const end = start + size;
      if (walkBody(body, start, end) !== end) throw new UnsupportedModule(`function body ${i} did not end where its size says`);
      pos = end;
    }
  } catch (error) {
    if (error instanceof WritesTable) return true;
    throw error;
  }
  return false;
}

/** Walks one body from its locals to its final `end`; returns the position after it. */
function walkBody(b: Uint8Array, start: number, end: number): number {
  let pos = start;
  const [groups, afterGroups] = readLeb(b, pos);
  pos = afterGroups;
  for (let g = 0; g < groups; g++) pos = skipValType(b, leb(b, pos));
  let depth = 1;
  while (pos < end) {
    const op = b[pos++]!;
    if (op === 0x0b) {
      if (--depth === 0) return pos;
    } else if (op === 0x02 || op === 0x03 || op === 0x04 || op === 0x06) {
      depth++;
      pos = skipBlockType(b, pos);
    } else if (op === 0x1f) {
      // try_table: block type, then catch clauses (kind, tag for kinds 0 and 1, label).
      depth++;
      pos = skipBlockType(b, pos);
      const [clauses, afterCount] = readLeb(b, pos);
      pos = afterCount;
      for (let c = 0; c < clauses; c++) {
        const kind = b[pos++]!;
        if (kind < 2) pos = leb(b, pos);
        pos = leb(b, pos);
      }
    } else if (op === 0x18) {
      // delegate: ends a (legacy) try block in place of `end`.
      if (--depth === 0) return -1;
      pos = leb(b, pos);
    } else if (op === 0x26) {
      throw new WritesTable();
    } else if (NO_IMMEDIATE.has(op) || (op >= 0x45 && op <= 0xc4)) {
      continue;
    } else if (ONE_INDEX.has(op)) {
      pos = leb(b, pos);
    } else if (op === 0x11 || op === 0x13) {
      pos = leb(b, leb(b, pos)); // type index, table index
    } else if (op === 0x0e) {
      const [targets, afterCount] = readLeb(b, pos);
      pos = afterCount;
      for (let t = 0; t <= targets; t++) pos = leb(b, pos);
    } else if (op === 0x1c) {
      const [types, afterCount] = readLeb(b, pos);
      pos = afterCount;
      for (let t = 0; t < types; t++) pos = skipValType(b, pos);
    } else if (op >= 0x28 && op <= 0x3e) {
      pos = skipMemArg(b, pos);
    } else if (op === 0x41 || op === 0x42 || op === 0xd0) {
      pos = sleb(b, pos);
    } else if (op === 0x43) {
      pos += 4;
    } else if (op === 0x44) {
      pos += 8;
    } else if (op === 0xfc) {
      pos = walkMisc(b, pos);
    } else if (op === 0xfd) {
      pos = walkSimd(b, pos);
    } else if (op === 0xfe) {
      pos = walkAtomic(b, pos);
    } else {
      throw new UnsupportedModule(`opcode 0x${op.toString(16)} at byte ${pos - 1}`);
    }
  }
  return -1;
}

/** unreachable, nop, else, return, drop, select, catch_all, throw_ref, ref.is_null, ref.eq, ref.as_non_null. */
const NO_IMMEDIATE = new Set([0x00, 0x01, 0x05, 0x0f, 0x1a, 0x1b, 0x19, 0x0a, 0xd1, 0xd3, 0xd4]);
/**
 * catch, throw, rethrow, br, br_if, call, return_call, call_ref, return_call_ref,
 * local.get/set/tee, global.get/set, table.get, memory.size, memory.grow, ref.func, br_on_null,
 * br_on_non_null.
 */
const ONE_INDEX = new Set([0x07, 0x08, 0x09, 0x0c, 0x0d, 0x10, 0x12, 0x14, 0x15, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x3f, 0x40, 0xd2, 0xd5, 0xd6]);
/** 0xfc sub-opcodes that write a table: table.init, elem.drop, table.copy, table.grow, table.fill. */
const MISC_TABLE_WRITES = new Set([12, 13, 14, 15, 17]);

function walkMisc(b: Uint8Array, pos: number): number {
  const [sub, next] = readLeb(b, pos);
  if (MISC_TABLE_WRITES.has(sub)) throw new WritesTable();
  if (sub <= 7) return next; // saturating truncations
  if (sub === 8 || sub === 10) return leb(b, leb(b, next)); // memory.init, memory.copy
  if (sub === 9 || sub === 11 || sub === 16) return leb(b, next); // data.drop, memory.fill, table.size
  throw new UnsupportedModule(`opcode 0xfc ${sub}`);
}

function walkSimd(b: Uint8Array, pos: number): number {
  const [sub, next] = readLeb(b, pos);
  if (sub <= 0x0b || sub === 0x5c || sub === 0x5d) return skipMemArg(b, next); // loads, store
  if (sub === 0x0c || sub === 0x0d) return next + 16; // v128.const, i8x16.shuffle
  if (sub >= 0x15 && sub <= 0x22) return next + 1; // extract and replace lane
  if (sub >= 0x54 && sub <= 0x5b) return skipMemArg(b, next) + 1; // lane loads and stores
  if (sub <= 0x113) return next; // the rest take no immediate (relaxed SIMD included)
  throw new UnsupportedModule(`opcode 0xfd ${sub}`);
}

function walkAtomic(b: Uint8Array, pos: number): number {
  const [sub, next] = readLeb(b, pos);
  if (sub === 0x03) return next + 1; // atomic.fence
  if (sub <= 0x4e) return skipMemArg(b, next);
  throw new UnsupportedModule(`opcode 0xfe ${sub}`);
}

/** Alignment (bit 6 set: a memory index follows), then the offset. */
function skipMemArg(b: Uint8Array, pos: number): number {
  const [align, next] = readLeb(b, pos);
  pos = next;
  if (align & 0x40) pos = leb(b, pos);
  return leb(b, pos);
}

/** 0x40 (empty), a value type, or a type index (a signed LEB128 number). */
function skipBlockType(b: Uint8Array, pos: number): number {
  const byte = b[pos]!;
  if (byte === 0x40) return pos + 1;
  if (byte === 0x63 || byte === 0x64) return sleb(b, pos + 1);
  if (byte >= 0x69 && byte <= 0x7f) return pos + 1;
  return sleb(b, pos);
}

function skipValType(b: Uint8Array, pos: number): number {
  const byte = b[pos]!;
  if (byte === 0x63 || byte === 0x64) return sleb(b, pos + 1);
  if (byte >= 0x69 && byte <= 0x7f) return pos + 1;
  throw new UnsupportedModule(`value type 0x${byte.toString(16)}`);
}

function leb(b: Uint8Array, pos: number): number {
  while (b[pos]! & 0x80) pos++;
  return pos + 1;
}

const sleb = leb;
