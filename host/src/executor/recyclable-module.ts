// Rewrites a core module so that a new instance can start on a recycled linear memory: the
// module's one memory becomes an import, and its active data segments (the pre-initialised
// image a componentize-js build carries) move out of the module into a memory image the host
// restores before each instantiation. Copying the image into a Memory that is already in use is
// many times cheaper than V8 copying it into brand-new pages, which fault one by one.
//
// The rewrite keeps everything an instance can observe: memory index 0 (so its export still
// names it), the same minimum and maximum, and the same segment indices. Each active segment
// becomes an empty passive one, which behaves exactly as the dropped segment it would have been
// after instantiation (memory.init of length 0 succeeds, of more traps; data.drop is allowed).
import { concat, encodeLeb, readLeb } from "@airlock/wit-parser/binary";
import { PAGE } from "./memory-limit.js";

/** Module and field name under which the rewritten module imports its memory. */
export const RECYCLED_MEMORY_IMPORT = { module: "airlock:recycle", name: "memory" } as const;

/** A module's initial memory contents, as 8-byte-aligned runs of bytes; all else is zero. */
export interface MemoryImage {
  minPages: number;
  maxPages: number;
  /** Pairs of (offset in memory, length) in bytes, ascending; both multiples of 8. */
  runs: Uint32Array;
  /** The runs' bytes, one after another; shared, so workers restore from one copy. */
  bytes: SharedArrayBuffer;
}

export type Recyclable = { module: Uint8Array; image: MemoryImage } | { unsupported: string };

const SECTION = { import: 2, memory: 5, data: 11 } as const;
/** Sections that must come after the import section, in the order the binary format requires. */
const AFTER_IMPORTS = new Set([3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11]);
const I32_CONST = 0x41;
const END = 0x0b;
/** Zero gaps shorter than this between non-zero bytes are kept inside one run. */
const RUN_GAP = 256;

class Unsupported extends Error {}

/**
 * The module with its memory imported and its data segments emptied, and the image they made;
 * or why the module cannot start from an image (it then gets a fresh memory every time).
 * The module's memory must already carry a maximum (see capMemory).
 */
export function makeRecyclable(module: Uint8Array): Recyclable {
  try {
    return rewrite(module);
  } catch (error) {
    if (error instanceof Unsupported) return { unsupported: error.message };
    return { unsupported: `the module could not be read: ${(error as Error).message}` };
  }
}

function rewrite(module: Uint8Array): { module: Uint8Array; image: MemoryImage } {
  const sections = readSections(module);
  const memories = sections.filter((s) => s.id === SECTION.memory).flatMap((s) => readMemories(s.body));
  const imported = sections.filter((s) => s.id === SECTION.import).reduce((n, s) => n + countImportedMemories(s.body), 0);
  if (imported > 0) throw new Unsupported("it imports its memory");
  if (memories.length !== 1) throw new Unsupported(`it defines ${memories.length} memories, not one`);
  const [{ min, max }] = memories as [Limits];
  if (max === undefined) throw new Unsupported("its memory has no maximum");

  const segments: Segment[] = [];
  const out: Section[] = [];
  let importsWritten = false;
  const memoryImport = concat([name(RECYCLED_MEMORY_IMPORT.module), name(RECYCLED_MEMORY_IMPORT.name), Uint8Array.of(0x02, 0x01), encodeLeb(min), encodeLeb(max)]);
  for (const section of sections) {
    if (!importsWritten && (section.id === SECTION.import || AFTER_IMPORTS.has(section.id))) {
      importsWritten = true;
      if (section.id === SECTION.import) {
        const [count, first] = readLeb(section.body, 0);
        out.push({ id: SECTION.import, body: concat([encodeLeb(count + 1), section.body.subarray(first), memoryImport]) });
        continue;
      }
      out.push({ id: SECTION.import, body: concat([encodeLeb(1), memoryImport]) });
    }
    if (section.id === SECTION.memory) continue;
    out.push(section.id === SECTION.data ? { id: SECTION.data, body: emptyActiveSegments(section.body, segments) } : section);
  }
  const image = imageOf(segments, min, max);
  const parts: Uint8Array[] = [module.subarray(0, 8)];
  for (const section of out) parts.push(Uint8Array.of(section.id), encodeLeb(section.body.length), section.body);
  return { module: concat(parts), image };
}

interface Section {
  id: number;
  body: Uint8Array;
}

interface Limits {
  min: number;
  max: number | undefined;
}

interface Segment {
  offset: number;
  bytes: Uint8Array;
}

function readSections(module: Uint8Array): Section[] {
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

function readMemories(body: Uint8Array): Limits[] {
  const [count, first] = readLeb(body, 0);
  const limits: Limits[] = [];
  let pos = first;
  for (let i = 0; i < count; i++) {
    const read = readLimits(body, pos);
    limits.push(read.limits);
    pos = read.next;
  }
  return limits;
}

/** Memory limits: flags 0 (min) or 1 (min, max); shared and 64-bit memories are not supported. */
function readLimits(body: Uint8Array, pos: number): { limits: Limits; next: number } {
  const flags = body[pos]!;
  if (flags > 0x01) throw new Unsupported("its memory is shared or 64-bit");
  const [min, afterMin] = readLeb(body, pos + 1);
  if (flags === 0) return { limits: { min, max: undefined }, next: afterMin };
  const [max, next] = readLeb(body, afterMin);
  return { limits: { min, max }, next };
}

function countImportedMemories(body: Uint8Array): number {
  const [count, first] = readLeb(body, 0);
  let pos = first;
  let memories = 0;
  for (let i = 0; i < count; i++) {
    pos = skipName(body, skipName(body, pos));
    const kind = body[pos++]!;
    if (kind === 0x00 || kind === 0x04) {
      if (kind === 0x04) pos++; // a tag's attribute byte
      pos = readLeb(body, pos)[1];
    } else if (kind === 0x01) {
      pos = skipRefType(body, pos);
      pos = skipTableLimits(body, pos);
    } else if (kind === 0x02) {
      memories++;
      pos = skipMemoryLimits(body, pos);
    } else if (kind === 0x03) {
      pos = skipValType(body, pos) + 1; // mutability
    } else {
      throw new Unsupported(`it has an import of unknown kind 0x${kind.toString(16)}`);
    }
  }
  return memories;
}

function skipName(body: Uint8Array, pos: number): number {
  const [length, start] = readLeb(body, pos);
  return start + length;
}

function skipValType(body: Uint8Array, pos: number): number {
  const type = body[pos]!;
  // (ref null? heaptype): the heap type is a signed LEB128 number.
  if (type === 0x63 || type === 0x64) return skipSleb(body, pos + 1);
  return pos + 1;
}

const skipRefType = skipValType;

function skipSleb(body: Uint8Array, pos: number): number {
  while (body[pos]! & 0x80) pos++;
  return pos + 1;
}

function skipTableLimits(body: Uint8Array, pos: number): number {
  const flags = body[pos]!;
  let next = readLeb(body, pos + 1)[1];
  if (flags & 0x01) next = readLeb(body, next)[1];
  return next;
}

function skipMemoryLimits(body: Uint8Array, pos: number): number {
  const flags = body[pos]!;
  if (flags > 0x07) throw new Unsupported(`it imports a memory with unknown flags 0x${flags.toString(16)}`);
  let next = readLeb(body, pos + 1)[1];
  if (flags & 0x01) next = readLeb(body, next)[1];
  return next;
}

/** The data section with every active segment turned into an empty passive one, collected in `segments`. */
function emptyActiveSegments(body: Uint8Array, segments: Segment[]): Uint8Array {
  const [count, first] = readLeb(body, 0);
  const out: Uint8Array[] = [encodeLeb(count)];
  let pos = first;
  for (let i = 0; i < count; i++) {
    const [flags, afterFlags] = readLeb(body, pos);
    pos = afterFlags;
    if (flags === 0x01) {
      // Passive: copied by the module's own code (memory.init), which a new instance runs anew.
      const [length, start] = readLeb(body, pos);
      out.push(Uint8Array.of(0x01), body.subarray(afterFlags, start + length));
      pos = start + length;
      continue;
    }
    if (flags === 0x02) {
      const [memory, afterMemory] = readLeb(body, pos);
      if (memory !== 0) throw new Unsupported(`data segment ${i} targets memory ${memory}`);
      pos = afterMemory;
    } else if (flags !== 0x00) {
      throw new Unsupported(`data segment ${i} has unknown flags ${flags}`);
    }
    if (body[pos] !== I32_CONST) throw new Unsupported(`data segment ${i} has an offset that is not a constant`);
    const [offset, afterOffset] = readSleb32(body, pos + 1);
    if (body[afterOffset] !== END) throw new Unsupported(`data segment ${i} has an offset that is not a constant`);
    const [length, start] = readLeb(body, afterOffset + 1);
    segments.push({ offset: offset >>> 0, bytes: body.subarray(start, start + length) });
    out.push(Uint8Array.of(0x01, 0x00));
    pos = start + length;
  }
  return concat(out);
}

function readSleb32(body: Uint8Array, start: number): [value: number, next: number] {
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

/** The segments applied, in order, to a zeroed memory of `minPages`, kept as runs of non-zero bytes. */
function imageOf(segments: Segment[], minPages: number, maxPages: number): MemoryImage {
  const memoryBytes = minPages * PAGE;
  let end = 0;
  for (const { offset, bytes } of segments) {
    if (offset + bytes.length > memoryBytes) throw new Unsupported(`a data segment at ${offset} lies outside its initial memory`);
    end = Math.max(end, offset + bytes.length);
  }
  const flat = new Uint8Array(Math.ceil(end / 8) * 8);
  for (const { offset, bytes } of segments) flat.set(bytes, offset);

  const words = new Uint32Array(flat.buffer);
  const runs: number[] = [];
  let runStart = -1;
  let lastNonZero = -1;
  for (let word = 0; word < words.length; word += 2) {
    if (words[word] === 0 && words[word + 1] === 0) continue;
    const at = word * 4;
    if (runStart === -1) runStart = at;
    else if (at - (lastNonZero + 8) >= RUN_GAP) {
      runs.push(runStart, lastNonZero + 8 - runStart);
      runStart = at;
    }
    lastNonZero = at;
  }
  if (runStart !== -1) runs.push(runStart, lastNonZero + 8 - runStart);

  const total = runs.reduce((sum, value, index) => (index % 2 ? sum + value : sum), 0);
  const bytes = new SharedArrayBuffer(total);
  const target = new Uint8Array(bytes);
  let at = 0;
  for (let i = 0; i < runs.length; i += 2) {
    target.set(flat.subarray(runs[i]!, runs[i]! + runs[i + 1]!), at);
    at += runs[i + 1]!;
  }
  return { minPages, maxPages, runs: Uint32Array.from(runs), bytes };
}

function name(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  return concat([encodeLeb(bytes.length), bytes]);
}

/** Writes the image into `memory` and zeroes every other byte of it (unless it is known to be all zero). */
export function restoreImage(memory: WebAssembly.Memory, image: MemoryImage, zeroed = false): void {
  const target = new Uint8Array(memory.buffer);
  const source = new Uint8Array(image.bytes);
  let written = 0;
  let from = 0;
  for (let i = 0; i < image.runs.length; i += 2) {
    const offset = image.runs[i]!;
    const length = image.runs[i + 1]!;
    if (!zeroed) target.fill(0, written, offset);
    target.set(source.subarray(from, from + length), offset);
    from += length;
    written = offset + length;
  }
  if (!zeroed) target.fill(0, written);
}
