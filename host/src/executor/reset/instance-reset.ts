// Puts a component instance back into the state it had right after instantiation, so that the
// next call can run in it as if it were new: the fast path between two calls (see "Reset" in
// host/README.md for why this is as good as a fresh instance, and when it is not used).
//
// An instance's state is its linear memories, its mutable globals and its tables (the rewrite in
// state-exports.ts exports every one a module defines, and refuses modules with other state),
// plus what jco's glue keeps in JavaScript, which the host allows only for components whose glue
// keeps nothing between calls (see PreparedComponent). A snapshot of all of it is taken once,
// after instantiation; after each call that returned normally it is written back.
import { Buffer } from "node:buffer";
import { PAGE } from "../memory-limit.js";
import { imageOfMemory, restoreImage, type MemoryImage } from "../recyclable-module.js";
import { saveTable, type TableCopy, type WasmTable } from "./table-copier.js";

// Node's type declarations for WebAssembly leave out Global and Table.
interface WasmGlobal {
  value: unknown;
}
const { Global, Table } = WebAssembly as unknown as { Global: abstract new () => WasmGlobal; Table: abstract new () => WasmTable };

interface TableSnapshot {
  table: WasmTable;
  length: number;
  copy: TableCopy;
}

export class InstanceSnapshot {
  private constructor(
    private readonly memories: { memory: WebAssembly.Memory; image: MemoryImage }[],
    private readonly globals: { global: WasmGlobal; value: unknown }[],
    private readonly tables: TableSnapshot[],
    /** Why the snapshot cannot be written back exactly, if it cannot: every restore then refuses. */
    private readonly inexact?: string,
  ) {}

  /**
   * The state of the core instances that make up one component instance, and of the globals,
   * tables and memories they were given (jco's glue passes one instance's exports to the next).
   * Tables are left out when `withTables` is false: no module's code can write one
   * (table-writes.ts), so they stay as instantiation left them.
   */
  static take(instances: WebAssembly.Instance[], imports: object[], lent: { memory: WebAssembly.Memory; image: MemoryImage }[], withTables = true): InstanceSnapshot {
    const globals = new Set<WasmGlobal>();
    const tables = new Set<WasmTable>();
    const allMemories = new Set(lent.map((l) => l.memory));
    const collect = (value: unknown) => {
      if (value instanceof Global) globals.add(value);
      else if (value instanceof Table && withTables) tables.add(value);
      else if (value instanceof WebAssembly.Memory) allMemories.add(value);
    };
    for (const instance of instances) for (const value of Object.values(instance.exports)) collect(value);
    for (const namespace of imports)
      for (const fields of Object.values(namespace as Record<string, unknown>)) if (fields && typeof fields === "object") for (const value of Object.values(fields)) collect(value);
    // V8 hands a NaN through Global.value as the canonical NaN: a payload could not be restored.
    const nan = [...globals].some((global) => typeof global.value === "number" && Number.isNaN(global.value));
    return new InstanceSnapshot(
      [...allMemories].map((memory) => {
        // Usually the memory still holds the image it started from (the glue ran no guest code):
        // then the workers' shared copy serves, and this worker keeps no image of its own.
        const image = lent.find((l) => l.memory === memory)?.image;
        return { memory, image: image && holdsExactly(memory, image) ? image : imageOfMemory(memory, memory.buffer.byteLength / PAGE) };
      }),
      [...globals].map((global) => ({ global, value: global.value })),
      [...tables].map((table) => ({ table, length: table.length, copy: saveTable(table) })),
      nan ? "a float global holds a NaN, whose payload JavaScript cannot write back" : undefined,
    );
  }

  /**
   * Writes the snapshot back; false (and nothing written) if it cannot be: a table grew, a
   * memory grew more than `slackBytes` (memory cannot shrink, and a restored allocator forgets
   * grown pages), or the snapshot is inexact. The grown pages of a memory within the slack are zeroed.
   */
  restore(slackBytes: number): boolean {
    if (this.inexact) return false;
    for (const { memory, image } of this.memories) if (memory.buffer.byteLength > image.minPages * PAGE + slackBytes) return false;
    for (const { table, length } of this.tables) if (table.length !== length) return false;
    for (const { memory, image } of this.memories) restoreImage(memory, image);
    // Always written: a comparison would skip -0 over +0 (equal in JavaScript), a bit a call could keep.
    for (const { global, value } of this.globals) global.value = value;
    for (const { copy } of this.tables) copy.restore();
    return true;
  }
}

/** Whether `memory` is exactly `image`: its runs where they belong, every other byte zero, its initial size. */
function holdsExactly(memory: WebAssembly.Memory, image: MemoryImage): boolean {
  if (memory.buffer.byteLength !== image.minPages * PAGE) return false;
  const bytes = Buffer.from(memory.buffer);
  const source = Buffer.from(image.bytes);
  const zeros = Buffer.alloc(PAGE);
  const zero = (from: number, to: number) => {
    for (let at = from; at < to; at += PAGE) if (!bytes.subarray(at, Math.min(to, at + PAGE)).equals(zeros.subarray(0, Math.min(to, at + PAGE) - at))) return false;
    return true;
  };
  let written = 0;
  let from = 0;
  for (let i = 0; i < image.runs.length; i += 2) {
    const offset = image.runs[i]!;
    const length = image.runs[i + 1]!;
    if (!zero(written, offset) || !bytes.subarray(offset, offset + length).equals(source.subarray(from, from + length))) return false;
    from += length;
    written = offset + length;
  }
  return zero(written, bytes.length);
}
