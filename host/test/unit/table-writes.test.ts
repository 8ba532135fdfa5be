// Whether a module's code can write a table decides if a reset restores tables: a "no" for a
// module that can must never happen, so each writing instruction is checked, and anything the
// walker does not know answers "it may".
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { mayWriteTables } from "../../src/executor/reset/table-writes.js";

const module = async (body: string) =>
  parse(`(module
    (type $t (func (result i32)))
    (memory 1 1 shared)
    (table $slots 4 funcref)
    (table $other 4 funcref)
    (elem $passive funcref (ref.func $f))
    (elem declare func $f)
    (tag $oops (param i32))
    (func $f (result i32) (i32.const 1))
    (func (export "run") (result i32) (local i64 v128) ${body} (i32.const 0)))`);

describe("the instructions that write a table", () => {
  it.each([
    ["table.set", "(table.set $slots (i32.const 0) (ref.func $f))"],
    ["table.fill", "(table.fill $slots (i32.const 0) (ref.null func) (i32.const 1))"],
    ["table.copy", "(table.copy $other $slots (i32.const 0) (i32.const 0) (i32.const 1))"],
    ["table.init", "(table.init $slots $passive (i32.const 0) (i32.const 0) (i32.const 1))"],
    ["table.grow", "(drop (table.grow $slots (ref.null func) (i32.const 1)))"],
    ["elem.drop", "(elem.drop $passive)"],
    [
      "table.set deep in blocks, after SIMD and atomics",
      "(block (loop (if (i32.const 1) (then (drop (v128.const i64x2 1 2)) (drop (i32.atomic.load (i32.const 0))) (table.set $slots (i32.const 0) (ref.func $f))))))",
    ],
  ])("finds %s", async (_what, body) => {
    expect(mayWriteTables(await module(body))).toBe(true);
  });

  it("answers no for code that only reads tables, whatever else it does", async () => {
    const body = `
      (drop (call_indirect $slots (type $t) (i32.const 0)))
      (drop (table.get $other (i32.const 1)))
      (drop (table.size $slots))
      (drop (i8x16.extract_lane_s 3 (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (v128.const i32x4 1 2 3 4) (local.get 1))))
      (drop (v128.load32_lane offset=8 1 (i32.const 0) (local.get 1)))
      (drop (i64.atomic.rmw.add offset=16 (i32.const 0) (i64.const 38)))
      (atomic.fence)
      (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))
      (memory.fill (i32.const 0) (i32.const 0) (i32.const 4))
      (block $out (br_table $out $out $out (i32.const 2)))
      (try_table (catch $oops 0) (throw $oops (i32.const 9)))
      (local.set 0 (i64.const -9223372036854775808))
      (drop (f64.const 0x1.8p3))
      (drop (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)))`;
    expect(mayWriteTables(await module(body))).toBe(false);
  });

  it("answers yes when in doubt: an instruction it does not know, or bytes that are not code", async () => {
    const gc = await parse(`(module (type $box (struct (field (mut i32)))) (func (drop (struct.new $box (i32.const 1)))))`);
    expect(mayWriteTables(gc)).toBe(true);
    const good = await module("");
    // The same module with its last function's final `end` cut off by one byte.
    const cut = good.slice(0, good.length - 1);
    expect(mayWriteTables(cut)).toBe(true);
  });
});
