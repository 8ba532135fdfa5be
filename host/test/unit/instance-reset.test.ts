// The reset between calls: the rewrite must expose every place a module keeps state (or say why
// it cannot), and a restored snapshot must leave an instance exactly as it was after
// instantiation; where it cannot (a grown table, memory grown past the slack), it must refuse.
import { describe, expect, it } from "vitest";
import { PAGE } from "../../src/executor/memory-limit.js";
import { exposeState, STATE_EXPORT } from "../../src/executor/reset/state-exports.js";
import { saveTable, type WasmTable } from "../../src/executor/reset/table-copier.js";
import { resettableInstance, wat } from "../helpers/reset-instance.js";

const STATEFUL = `(module
  (import "host" "seed" (global $seed i32))
  (memory (export "memory") 1)
  (data (i32.const 16) "start")
  (global $count (mut i32) (i32.const 0))
  (global $wide (mut i64) (i64.const 7))
  (global $real (mut f64) (f64.const 1.5))
  (global $fixed i32 (i32.const 3))
  (type $answer (func (result i32)))
  (table $slots 2 funcref)
  (elem (i32.const 0) $one $two)
  (func $one (result i32) (i32.const 1))
  (func $two (result i32) (i32.const 2))
  (func (export "mutate") (result i32)
    (global.set $count (i32.add (global.get $count) (global.get $seed)))
    (global.set $wide (i64.mul (global.get $wide) (i64.const 3)))
    (global.set $real (f64.neg (global.get $real)))
    (i32.store (i32.const 16) (i32.const 0x41414141))
    (i32.store (i32.const 60000) (i32.const 99))
    (table.set $slots (i32.const 0) (ref.func $two))
    (call_indirect (type $answer) (i32.const 0)))
  (func (export "grow-table") (drop (table.grow $slots (ref.null func) (i32.const 1))))
  (func (export "grow-memory") (param i32) (drop (memory.grow (local.get 0))))
  (func (export "observe") (result i64)
    (i64.add
      (i64.add (i64.extend_i32_u (global.get $count)) (global.get $wide))
      (i64.add (i64.extend_i32_u (i32.load (i32.const 16))) (i64.add (i64.extend_i32_u (i32.load (i32.const 60000))) (i64.extend_i32_u (call_indirect (type $answer) (i32.const 0)))))))
  (func (export "real") (result f64) (global.get $real)))`;

const instantiate = async (text: string) => {
  const made = await resettableInstance(text, { host: { seed: 5 } });
  return { ...made, exports: made.exports as Record<string, (...args: number[]) => number | bigint> };
};

describe("exposing a module's state", () => {
  it("exports every mutable global and table it defines, and no immutable one", async () => {
    const { module, resetBlocker } = exposeState(await wat(STATEFUL));
    expect(resetBlocker).toBeUndefined();
    const names = WebAssembly.Module.exports(new WebAssembly.Module(module)).map((e) => e.name);
    // Global 0 is the import; 1-3 are mutable, 4 is not.
    expect(names.filter((n) => n.startsWith("airlock:state/"))).toEqual([`${STATE_EXPORT.table}0`, `${STATE_EXPORT.global}1`, `${STATE_EXPORT.global}2`, `${STATE_EXPORT.global}3`]);
  });

  it("adds an export section to a module that had none", async () => {
    const { module } = exposeState(await wat(`(module (global (mut i32) (i32.const 1)) (func (result i32) (i32.const 0)))`));
    expect(WebAssembly.Module.exports(new WebAssembly.Module(module)).map((e) => e.name)).toEqual([`${STATE_EXPORT.global}0`]);
  });

  it.each([
    ["a passive data segment", `(module (memory 1) (data "dropped or not") (func (data.drop 0)))`, "data segment 0 is passive"],
    ["a passive element segment", `(module (table 1 funcref) (elem funcref (ref.func 0)) (func (elem.drop 0)))`, "element segment 0 is passive"],
    ["a mutable GC reference", `(module (type $box (struct (field (mut i32)))) (global (mut (ref null $box)) (ref.null $box)))`, "mutable global 0 has a type"],
    ["a mutable v128", `(module (global (mut v128) (v128.const i64x2 0 0)))`, "could not restore"],
    ["an export named like the host's own", `(module (global (mut i32) (i32.const 0)) (func (export "airlock:state/global/9")))`, "a name the host uses"],
  ])("refuses %s, saying why", async (_what, text, reason) => {
    expect(exposeState(await wat(text)).resetBlocker).toContain(reason);
  });
});

describe("resetting an instance", () => {
  it("leaves memory, globals and tables as they were after instantiation", async () => {
    const { exports, snapshot } = await instantiate(STATEFUL);
    const fresh = { observed: exports.observe!(), real: exports.real!() };
    expect(exports.mutate!()).toBe(2);
    expect(exports.observe!()).not.toBe(fresh.observed);
    expect(snapshot.restore(0)).toBe(true);
    expect({ observed: exports.observe!(), real: exports.real!() }).toEqual(fresh);
    // Again, from the restored state: the same changes, the same answers.
    expect(exports.mutate!()).toBe(2);
    expect(snapshot.restore(0)).toBe(true);
    expect(exports.observe!()).toBe(fresh.observed);
  });

  it("zeroes memory grown within the slack, and refuses past it or when a table grew", async () => {
    const within = await instantiate(STATEFUL);
    within.exports["grow-memory"]!(2);
    new Uint8Array(within.memory.buffer).fill(0x5a, PAGE);
    expect(within.snapshot.restore(2 * PAGE)).toBe(true);
    expect(new Uint8Array(within.memory.buffer).subarray(PAGE).every((b) => b === 0)).toBe(true);

    const past = await instantiate(STATEFUL);
    past.exports["grow-memory"]!(3);
    expect(past.snapshot.restore(2 * PAGE)).toBe(false);

    const grownTable = await instantiate(STATEFUL);
    grownTable.exports.mutate!();
    grownTable.exports["grow-table"]!();
    expect(grownTable.snapshot.restore(0)).toBe(false);
    // Refused means untouched: the caller discards the instance, nothing half-restored.
    expect(grownTable.exports.observe!()).not.toBe((await instantiate(STATEFUL)).exports.observe!());
  });
});

// Node's type declarations for WebAssembly leave out Table and the Instance constructor.
const Wasm = WebAssembly as unknown as {
  Table: new (descriptor: { element: string; initial: number }) => WasmTable;
  Instance: new (module: WebAssembly.Module) => { exports: { f: unknown } };
};

describe("saving a table", () => {
  it.each([
    ["externref", [{ secret: 1 }, "two", null]],
    ["anyfunc", []],
  ])("writes back every entry of a %s table", (element, values) => {
    const table = new Wasm.Table({ element, initial: 3 });
    values.forEach((value, i) => table.set(i, value));
    if (element === "anyfunc") table.set(0, new Wasm.Instance(new WebAssembly.Module(funcModule)).exports.f);
    const before = [0, 1, 2].map((i) => table.get(i));
    const copy = saveTable(table);
    for (let i = 0; i < 3; i++) table.set(i, null);
    copy.restore();
    expect([0, 1, 2].map((i) => table.get(i))).toEqual(before);
    expect(before[0]).not.toBeNull();
  });
});

// (module (func (export "f") (result i32) (i32.const 7)))
const funcModule = Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 6, 1, 4, 0, 65, 7, 11);
