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
import { countImports, name, readSections, readSleb32, SECTION, UnsupportedModule, writeModule, type Section } from "./module-binary.js";

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

/** Sections that must come after the import section, in the order the binary format requires. */
const AFTER_IMPORTS = new Set([3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11]);
const I32_CONST = 0x41;
const END = 0x0b;
/** Zero gaps shorter than this between non-zero bytes are kept inside one run. */
const RUN_GAP = 256;

/**
 * The module with its memory imported and its data segments emptied, and the image they made;
 * or why the module cannot start from an image (it then gets a fresh memory every time).
 * The module's memory must already carry a maximum (see capMemory).
 */
export function makeRecyclable(module: Uint8Array): Recyclable {
  try {
    return rewrite(module);
  } catch (error) {
    if (error instanceof UnsupportedModule) return { unsupported: error.message };
    return { unsupported: `the module could not be read: ${(error as Error).message}` };
  }
}

function rewrite(module: Uint8Array): { module: Uint8Array; image: MemoryImage } {
  const sections = readSections(module);
  const memories = sections.filter((s) => s.id === SECTION.memory).flatMap((s) => readMemories(s.body));
  const imported = sections.filter((s) => s.id === SECTION.import).reduce((n, s) => n + countImports(s.body).memories, 0);
  if (imported > 0) throw new UnsupportedModule("it imports its memory");
  if (memories.length !== 1) throw new UnsupportedModule(`it defines ${memories.length} memories, not one`);
  const [{ min, max }] = memories as [Limits];
  if (max === undefined) throw new UnsupportedModule("its memory has no maximum");

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
  return { module: writeModule(module, out), image: imageOf(segments, min, max) };
}

interface Limits {
  min: number;
  max: number | undefined;
}

interface Segment {
  offset: number;
  bytes: Uint8Array;
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
  if (flags > 0x01) throw new UnsupportedModule("its memory is shared or 64-bit");
  const [min, afterMin] = readLeb(body, pos + 1);
  if (flags === 0) return { limits: { min, max: undefined }, next: afterMin };
  const [max, next] = readLeb(body, afterMin);
  return { limits: { min, max }, next };
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
      if (memory !== 0) throw new UnsupportedModule(`data segment ${i} targets memory ${memory}`);
      pos = afterMemory;
    } else if (flags !== 0x00) {
      throw new UnsupportedModule(`data segment ${i} has unknown flags ${flags}`);
    }
    if (body[pos] !== I32_CONST) throw new UnsupportedModule(`data segment ${i} has an offset that is not a constant`);
    const [offset, afterOffset] = readSleb32(body, pos + 1);
    if (body[afterOffset] !== END) throw new UnsupportedModule(`data segment ${i} has an offset that is not a constant`);
    const [length, start] = readLeb(body, afterOffset + 1);
    segments.push({ offset: offset >>> 0, bytes: body.subarray(start, start + length) });
    out.push(Uint8Array.of(0x01, 0x00));
    pos = start + length;
  }
  return concat(out);
}

/** The segments applied, in order, to a zeroed memory of `minPages`, kept as runs of non-zero bytes. */
function imageOf(segments: Segment[], minPages: number, maxPages: number): MemoryImage {
  const memoryBytes = minPages * PAGE;
  let end = 0;
  for (const { offset, bytes } of segments) {
    if (offset + bytes.length > memoryBytes) throw new UnsupportedModule(`a data segment at ${offset} lies outside its initial memory`);
    end = Math.max(end, offset + bytes.length);
  }
  const flat = new Uint8Array(Math.ceil(end / 8) * 8);
  for (const { offset, bytes } of segments) flat.set(bytes, offset);
  return imageOfBytes(flat, minPages, maxPages);
}

/** `memory`'s contents as they are now, as an image of its current size (a reset restores it). */
export function imageOfMemory(memory: WebAssembly.Memory, maxPages: number): MemoryImage {
  return imageOfBytes(new Uint8Array(memory.buffer), memory.buffer.byteLength / PAGE, maxPages);
}

/** `flat` (a multiple of 8 bytes long) as runs of non-zero bytes. */
function imageOfBytes(flat: Uint8Array, minPages: number, maxPages: number): MemoryImage {
  const words = new Uint32Array(flat.buffer, flat.byteOffset, flat.byteLength / 4);
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

/** Writes the image into `memory` and zeroes every other byte of it (unless it is known to be all zero). */
export function restoreImage(memory: WebAssembly.Memory, image: MemoryImage, zeroed = false): void {
  const target = Buffer.from(memory.buffer);
  const source = new Uint8Array(image.bytes);
  let written = 0;
  let from = 0;
  for (let i = 0; i < image.runs.length; i += 2) {
    const offset = image.runs[i]!;
    const length = image.runs[i + 1]!;
    if (!zeroed) zeroWhereWritten(target, written, offset);
    target.set(source.subarray(from, from + length), offset);
    from += length;
    written = offset + length;
  }
  if (!zeroed) zeroWhereWritten(target, written, target.length);
}

const ZERO_CHUNK = Buffer.alloc(16 * 1024);

/**
 * Zeroes target[from, to) chunk by chunk, skipping chunks that are zero already: a page the guest
 * never wrote stays without memory behind it (the kernel backs a page at its first write, zeros
 * included), so a worker's resident memory is what its guest used, not its whole linear memory.
 * Comparing an untouched page reads the kernel's one shared zero page: cheaper than writing it.
 */
function zeroWhereWritten(target: Buffer, from: number, to: number): void {
  // A gap between two runs of the image lies on pages the image keeps backed anyway.
  if (to - from < ZERO_CHUNK.length) {
    target.fill(0, from, to);
    return;
  }
  for (let at = from; at < to; at += ZERO_CHUNK.length) {
    const end = Math.min(to, at + ZERO_CHUNK.length);
    if (ZERO_CHUNK.compare(target, at, end, 0, end - at) !== 0) target.fill(0, at, end);
  }
}
