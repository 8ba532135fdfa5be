// Saves and restores a whole WebAssembly table with one `table.copy` each way, done by a tiny
// module of the host's own. Comparing a large table entry by entry from JavaScript (`get` makes a
// function wrapper per entry) cost a reset more than the guest's own call: componentize-js
// components carry thousands of entries in their function table.
import { concat, encodeLeb } from "@airlock/wit-parser/binary";
import { name } from "../module-binary.js";

// Node's type declarations for WebAssembly leave out Table and the Instance constructor.
export interface WasmTable {
  readonly length: number;
  get(index: number): unknown;
  set(index: number, value: unknown): void;
}
const { Table, Instance } = WebAssembly as unknown as {
  Table: new (descriptor: { element: string; initial: number }) => WasmTable;
  Instance: new (module: WebAssembly.Module, imports: object) => { exports: unknown };
};

const REF_TYPES = [
  { byte: 0x70, element: "anyfunc" },
  { byte: 0x6f, element: "externref" },
] as const;
const compiled = new Map<number, WebAssembly.Module>();

export interface TableCopy {
  /** Copies the saved entries back over the live table; the caller checks its length first. */
  restore(): void;
}

/** A copy of `live`'s entries as they are now, and the means to write them back. */
export function saveTable(live: WasmTable): TableCopy {
  const failures: string[] = [];
  for (const { byte, element } of REF_TYPES) {
    const saved = new Table({ element, initial: live.length });
    let exports: { save: (length: number) => void; restore: (length: number) => void };
    try {
      // Linking fails when the element type differs: try the next one.
      exports = new Instance(copierModule(byte), { t: { live, saved } }).exports as typeof exports;
    } catch (error) {
      failures.push((error as Error).message);
      continue;
    }
    exports.save(live.length);
    const length = live.length;
    return { restore: () => exports.restore(length) };
  }
  throw new Error(`a table could not be saved: ${failures.join("; ")}`);
}

/**
 * (module
 *   (import "t" "live" (table 0 <ref>)) (import "t" "saved" (table 0 <ref>))
 *   (func (export "save") (param i32) (table.copy 1 0 (i32.const 0) (i32.const 0) (local.get 0)))
 *   (func (export "restore") (param i32) (table.copy 0 1 (i32.const 0) (i32.const 0) (local.get 0))))
 */
function copierModule(refType: number): WebAssembly.Module {
  let module = compiled.get(refType);
  if (module) return module;
  const section = (id: number, ...entries: Uint8Array[]) => {
    const body = concat([encodeLeb(entries.length), ...entries]);
    return concat([Uint8Array.of(id), encodeLeb(body.length), body]);
  };
  const tableImport = (field: string) => concat([name("t"), name(field), Uint8Array.of(0x01, refType, 0x00, 0x00)]);
  const copy = (to: number, from: number) => {
    const body = Uint8Array.of(0x00, 0x41, 0x00, 0x41, 0x00, 0x20, 0x00, 0xfc, 0x0e, to, from, 0x0b);
    return concat([encodeLeb(body.length), body]);
  };
  const bytes = concat([
    Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00),
    section(1, Uint8Array.of(0x60, 0x01, 0x7f, 0x00)),
    section(2, tableImport("live"), tableImport("saved")),
    section(3, Uint8Array.of(0x00), Uint8Array.of(0x00)),
    section(7, concat([name("save"), Uint8Array.of(0x00, 0x00)]), concat([name("restore"), Uint8Array.of(0x00, 0x01)])),
    section(10, copy(1, 0), copy(0, 1)),
  ]);
  module = new WebAssembly.Module(bytes);
  compiled.set(refType, module);
  return module;
}
