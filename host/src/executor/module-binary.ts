// Reading the parts of a core WebAssembly module that the host's rewrites touch (sections,
// imports, limits, constant expressions). Anything the readers do not know is reported as an
// UnsupportedModule: the caller then leaves the module as it is.
import { concat, encodeLeb, readLeb } from "@airlock/wit-parser/binary";

/** Section ids of the core module binary format. */
export const SECTION = { type: 1, import: 2, function: 3, table: 4, memory: 5, global: 6, export: 7, start: 8, element: 9, code: 10, data: 11, dataCount: 12, tag: 13 } as const;

/** The module has something a rewrite does not handle; the message says what. */
export class UnsupportedModule extends Error {}

export interface Section {
  id: number;
  body: Uint8Array;
}

export function readSections(module: Uint8Array): Section[] {
  const sections: Section[] = [];
  let pos = 8;
  while (pos < module.length) {
    const id = module[pos]!;
    const [size, start] = readLeb(module, pos + 1);
    if (start + size > module.length) throw new Error(`a section runs past the end at byte ${pos}`);
    sections.push({ id, body: module.subarray(start, start + size) });
    pos = start + size;
  }
  return sections;
}

export function skipName(body: Uint8Array, pos: number): number {
  const [length, start] = readLeb(body, pos);
  return start + length;
}

export function skipValType(body: Uint8Array, pos: number): number {
  const type = body[pos]!;
  // (ref null? heaptype): the heap type is a signed LEB128 number.
  if (type === 0x63 || type === 0x64) return skipSleb(body, pos + 1);
  return pos + 1;
}

export const skipRefType = skipValType;

export function skipSleb(body: Uint8Array, pos: number): number {
  while (body[pos]! & 0x80) pos++;
  return pos + 1;
}

export function skipTableLimits(body: Uint8Array, pos: number): number {
  const flags = body[pos]!;
  let next = readLeb(body, pos + 1)[1];
  if (flags & 0x01) next = readLeb(body, next)[1];
  return next;
}

export function skipMemoryLimits(body: Uint8Array, pos: number): number {
  const flags = body[pos]!;
  if (flags > 0x07) throw new UnsupportedModule(`it imports a memory with unknown flags 0x${flags.toString(16)}`);
  let next = readLeb(body, pos + 1)[1];
  if (flags & 0x01) next = readLeb(body, next)[1];
  return next;
}

export function readSleb32(body: Uint8Array, start: number): [value: number, next: number] {
  let result = 0;
  let shift = 0;
  let pos = start;
  let byte: number;
  do {
    if (pos >= body.length || shift > 28) throw new Error(`malformed signed LEB128 number at byte ${start}`);
    byte = body[pos++]!;
    result |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  if (shift < 32 && byte & 0x40) result |= -1 << shift;
  return [result, pos];
}

export function name(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  return concat([encodeLeb(bytes.length), bytes]);
}

/** How many tables, memories and globals a module imports (they come first in each index space). */
export function countImports(body: Uint8Array): { tables: number; memories: number; globals: number } {
  const [count, first] = readLeb(body, 0);
  let pos = first;
  const counts = { tables: 0, memories: 0, globals: 0 };
  for (let i = 0; i < count; i++) {
    pos = skipName(body, skipName(body, pos));
    const kind = body[pos++]!;
    if (kind === 0x00 || kind === 0x04) {
      if (kind === 0x04) pos++; // a tag's attribute byte
      pos = readLeb(body, pos)[1];
    } else if (kind === 0x01) {
      counts.tables++;
      pos = skipRefType(body, pos);
      pos = skipTableLimits(body, pos);
    } else if (kind === 0x02) {
      counts.memories++;
      pos = skipMemoryLimits(body, pos);
    } else if (kind === 0x03) {
      counts.globals++;
      pos = skipValType(body, pos) + 1; // mutability
    } else {
      throw new UnsupportedModule(`it has an import of unknown kind 0x${kind.toString(16)}`);
    }
  }
  return counts;
}

/** The module's bytes with `sections` as its sections. */
export function writeModule(header: Uint8Array, sections: Section[]): Uint8Array {
  const parts: Uint8Array[] = [header.subarray(0, 8)];
  for (const section of sections) parts.push(Uint8Array.of(section.id), encodeLeb(section.body.length), section.body);
  return concat(parts);
}

/** Past a constant expression (an initialiser or an offset): the instructions valid there, then `end`. */
export function skipConstExpr(body: Uint8Array, pos: number): number {
  for (;;) {
    const op = body[pos++];
    if (op === 0x0b) return pos;
    if (op === 0x41 || op === 0x42)
      pos = skipSleb(body, pos); // i32.const, i64.const
    else if (op === 0x43)
      pos += 4; // f32.const
    else if (op === 0x44)
      pos += 8; // f64.const
    else if (op === 0x23 || op === 0xd2)
      pos = readLeb(body, pos)[1]; // global.get, ref.func
    else if (op === 0xd0)
      pos = skipSleb(body, pos); // ref.null heaptype
    else if (op !== undefined && [0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e].includes(op))
      continue; // extended-const arithmetic
    else throw new UnsupportedModule(`it has a constant expression with instruction 0x${(op ?? 0).toString(16)}`);
  }
}
