// Attacks on the reset between calls (instance-reset.ts, state-exports.ts): values a restore
// must put back bit for bit, and segment encodings the rewrite must read right.
import { describe, expect, it } from "vitest";
import { exposeState } from "../../src/executor/reset/state-exports.js";
import { resettableInstance, wat } from "../helpers/reset-instance.js";

const instantiate = (text: string) => resettableInstance(text);

const FLOATS = `(module
  (memory 1) (data (i32.const 0) "x")
  (global $pz (mut f64) (f64.const 0))
  (global $nz (mut f64) (f64.const -0))
  (global $pz32 (mut f32) (f32.const 0))
  (global $nan (mut f64) (f64.const nan:0x4000000000001))
  (global $snan32 (mut f32) (f32.const nan:0x200001))
  (func (export "bits") (result i64 i64 i32 i64 i32)
    (i64.reinterpret_f64 (global.get $pz)) (i64.reinterpret_f64 (global.get $nz)) (i32.reinterpret_f32 (global.get $pz32))
    (i64.reinterpret_f64 (global.get $nan)) (i32.reinterpret_f32 (global.get $snan32)))
  (func (export "flip")
    (global.set $pz (f64.const -0)) (global.set $nz (f64.const 0)) (global.set $pz32 (f32.const -0))
    (global.set $nan (f64.const nan:0x7777777777777)) (global.set $snan32 (f32.const nan:0x123456))))`;

describe("a restored float global holds the bits it held after instantiation", () => {
  it("restores the sign of a zero (+0 === -0: a restore that compares values skips it)", async () => {
    const { exports, snapshot } = await instantiate(FLOATS.replace(/nan:0x[0-9a-f]+/g, "1"));
    const fresh = (exports.bits!() as unknown[]).slice(0, 3);
    exports.flip!();
    expect(snapshot.restore(0)).toBe(true);
    expect((exports.bits!() as unknown[]).slice(0, 3)).toEqual(fresh);
  });

  // V8 canonicalises a NaN read or written through WebAssembly.Global.value: the payload a
  // module started with would come back as the canonical NaN, and a reset instance would differ
  // from a new one. A snapshot holding a NaN therefore refuses to restore (a new instance instead).
  it("refuses to restore a snapshot in which a float global holds a NaN", async () => {
    const { exports, snapshot } = await instantiate(FLOATS);
    exports.flip!();
    expect(snapshot.restore(0)).toBe(false);
    const { snapshot: plain } = await instantiate(FLOATS.replace(/nan:0x[0-9a-f]+/g, "1"));
    expect(plain.restore(0)).toBe(true);
  });
});

describe("the rewrite finds a passive segment after segments of every other encoding", () => {
  const funcs = `(table $u 1 funcref) (table $t 4 funcref) (func $f) (memory 1)`;
  it.each([
    ["elem flags 2 (table index, elemkind)", `(elem (table $t) (i32.const 0) func $f)`],
    ["elem flags 4 (expressions)", `(elem (i32.const 0) funcref (ref.func $f))`],
    ["elem flags 6 (table index, expressions)", `(elem (table $t) (i32.const 1) funcref (ref.func $f) (ref.null func))`],
    ["elem flags 3 (declarative)", `(elem declare func $f)`],
    ["elem flags 7 (declarative expressions)", `(elem declare funcref (ref.func $f))`],
    ["data flags 2 (memory index)", `(data (memory 0) (i32.const 8) "abc")`],
  ])("%s", async (_what, segment) => {
    for (const passive of [`(elem funcref (ref.func $f))`, `(elem func $f)`, `(data "p")`]) {
      const module = await wat(`(module ${funcs} ${segment} ${passive} (func (elem.drop 0)))`.replace("(elem.drop 0)", ""));
      const exposed = exposeState(module);
      expect(exposed.resetBlocker, `${segment} then ${passive}`).toMatch(/passive/);
    }
    // Without a passive one the rewritten module is still valid.
    const exposed = exposeState(await wat(`(module ${funcs} ${segment} (global (mut i32) (i32.const 0)))`));
    expect(exposed.resetBlocker).toBeUndefined();
    expect(WebAssembly.validate(exposed.module)).toBe(true);
  });
});
