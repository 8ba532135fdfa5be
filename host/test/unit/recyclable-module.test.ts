// The rewrite that lets a core module start on a recycled Memory: the rewritten module must be
// valid, import its memory, and behave exactly as the original once the image is restored.
import { readFileSync } from "node:fs";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { capMemory, PAGE } from "../../src/executor/memory-limit.js";
import { makeRecyclable, restoreImage, RECYCLED_MEMORY_IMPORT, type MemoryImage } from "../../src/executor/recyclable-module.js";
import { glueRunsGuestCodeLater } from "../../src/executor/recycled-memories.js";

const LIMIT = 16 * PAGE;
const wat = async (text: string) => capMemory(await parse(text), LIMIT);

// Overlapping active segments (the later wins), one far into page 1, a passive segment that
// the module copies itself, and functions that touch the segments after instantiation.
const MODULE = `(module
  (type (func (param i32) (result i32)))
  (import "host" "tick" (func $tick))
  (memory (export "memory") 2)
  (data (i32.const 8) "hello, world")
  (data (i32.const 15) "WORLD")
  (data (i32.const 70000) "\\01\\02\\03")
  (data $passive "copied by code")
  (func (export "copy-passive") (param i32) (memory.init $passive (local.get 0) (i32.const 0) (i32.const 14)))
  (func (export "init-emptied") (param i32) (param i32) (memory.init 0 (local.get 0) (i32.const 0) (local.get 1)))
  (func (export "drop-emptied") (data.drop 1))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0))))`;

function recyclable(bytes: Uint8Array): { module: Uint8Array; image: MemoryImage } {
  const result = makeRecyclable(bytes);
  if ("unsupported" in result) throw new Error(result.unsupported);
  return result;
}

async function instantiate(module: Uint8Array, memory?: WebAssembly.Memory): Promise<WebAssembly.Instance> {
  const imports: WebAssembly.Imports = { host: { tick: () => undefined } };
  if (memory) imports[RECYCLED_MEMORY_IMPORT.module] = { [RECYCLED_MEMORY_IMPORT.name]: memory };
  return WebAssembly.instantiate(await WebAssembly.compile(module), imports);
}

const bytesOf = (instance: WebAssembly.Instance) => new Uint8Array((instance.exports.memory as WebAssembly.Memory).buffer);

describe("makeRecyclable", () => {
  it("makes a valid module that imports its memory, with the same limits", async () => {
    const { module, image } = recyclable(await wat(MODULE));
    expect(WebAssembly.validate(module)).toBe(true);
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(module));
    expect(imports).toContainEqual({ module: RECYCLED_MEMORY_IMPORT.module, name: RECYCLED_MEMORY_IMPORT.name, kind: "memory" });
    expect(WebAssembly.Module.exports(new WebAssembly.Module(module))).toContainEqual({ name: "memory", kind: "memory" });
    expect([image.minPages, image.maxPages]).toEqual([2, 16]);
  });

  it("starts, on a Memory restored from the image, with the memory the original starts with", async () => {
    const original = await wat(MODULE);
    const { module, image } = recyclable(original);
    const memory = new WebAssembly.Memory({ initial: image.minPages, maximum: image.maxPages });
    restoreImage(memory, image, true);
    const fresh = bytesOf(await instantiate(original));
    const recycled = bytesOf(await instantiate(module, memory));
    expect(recycled.length).toBe(fresh.length);
    expect(Buffer.compare(recycled, fresh)).toBe(0);
    expect(new TextDecoder().decode(recycled.subarray(8, 20))).toBe("hello, WORLD");
  });

  it("keeps passive segments, and emptied ones behave as dropped: length 0 copies, more traps", async () => {
    const { module, image } = recyclable(await wat(MODULE));
    const memory = new WebAssembly.Memory({ initial: image.minPages, maximum: image.maxPages });
    restoreImage(memory, image, true);
    const instance = await instantiate(module, memory);
    const exports = instance.exports as Record<string, (...args: number[]) => number>;
    exports["copy-passive"]!(100);
    expect(new TextDecoder().decode(bytesOf(instance).subarray(100, 114))).toBe("copied by code");
    exports["init-emptied"]!(0, 0);
    expect(() => exports["init-emptied"]!(0, 1)).toThrow(WebAssembly.RuntimeError);
    exports["drop-emptied"]!();
  });

  it("keeps the image sparse and 8-byte aligned", async () => {
    const { image } = recyclable(await wat(MODULE));
    expect(image.runs.every((value) => value % 8 === 0)).toBe(true);
    // Two runs: the greeting near 0 and the three bytes at 70000; not the 70 KB between them.
    expect(image.runs.length).toBe(4);
    expect(image.bytes.byteLength).toBeLessThan(64);
  });

  it.each([
    ["imports its memory", `(module (import "env" "memory" (memory 1)) (data (i32.const 0) "x"))`, "it imports its memory"],
    ["has no memory", `(module (func (export "f")))`, "it defines 0 memories, not one"],
    ["places a segment by a global", `(module (global $g i32 (i32.const 8)) (memory 1) (data (global.get $g) "x"))`, "data segment 0 has an offset that is not a constant"],
    ["places a segment outside its initial memory", `(module (memory 1) (data (i32.const 65535) "xy"))`, "a data segment at 65535 lies outside its initial memory"],
  ])("refuses a module that %s", async (_, text, reason) => {
    expect(makeRecyclable(await wat(text))).toEqual({ unsupported: reason });
  });

  it("refuses a module with two memories", async () => {
    const twoMemories = await parse(`(module (memory 1) (memory 1) (data (i32.const 0) "x"))`);
    expect(makeRecyclable(twoMemories)).toEqual({ unsupported: "it defines 2 memories, not one" });
  });
});

describe("restoreImage", () => {
  it("writes the image and zeroes every other byte, grown pages included", async () => {
    const { module, image } = recyclable(await wat(MODULE));
    const memory = new WebAssembly.Memory({ initial: image.minPages, maximum: image.maxPages });
    restoreImage(memory, image, true);
    const pristine = Uint8Array.from(bytesOf(await instantiate(module, memory)));
    memory.grow(3);
    new Uint8Array(memory.buffer).fill(0xa5);
    restoreImage(memory, image);
    const restored = new Uint8Array(memory.buffer);
    expect(Buffer.compare(restored.subarray(0, pristine.length), pristine)).toBe(0);
    expect(restored.subarray(pristine.length).every((byte) => byte === 0)).toBe(true);
  });

  it("zeroes single bytes a guest left anywhere outside the image, one byte into a chunk or at its last", async () => {
    const { module, image } = recyclable(await wat(MODULE));
    const memory = new WebAssembly.Memory({ initial: image.minPages, maximum: image.maxPages });
    restoreImage(memory, image, true);
    const pristine = Uint8Array.from(bytesOf(await instantiate(module, memory)));
    memory.grow(4);
    const bytes = new Uint8Array(memory.buffer);
    const left = [1, 4095, 16 * 1024, 16 * 1024 - 1, 70_100, 3 * PAGE + 12_345, bytes.length - 1];
    for (const at of left) bytes[at] = 0x5a;
    restoreImage(memory, image);
    const restored = new Uint8Array(memory.buffer);
    expect(Buffer.compare(restored.subarray(0, pristine.length), pristine)).toBe(0);
    expect(left.filter((at) => restored[at] !== pristine[at] && restored[at] !== 0)).toEqual([]);
    expect(restored.subarray(pristine.length).every((byte) => byte === 0)).toBe(true);
  });

  // Where the kernel maps its shared zero page for a read of a page never written (Linux does,
  // unless told not to: some VMs' kernels run with pvm_no_zero_page=1, and back a page at its
  // first read as well), a restore that only reads a page leaves it without memory behind it.
  it.skipIf(!kernelMapsZeroPageOnRead())("leaves pages the guest never wrote without memory behind them", () => {
    // 64 MiB a guest never touched, but for its first page: writing zeros over all of it, as a
    // restore did, would make the kernel back every page (~64 MiB more resident).
    const image: MemoryImage = { minPages: 1024, maxPages: 1024, runs: Uint32Array.from([0, 64]), bytes: new SharedArrayBuffer(64) };
    const memory = new WebAssembly.Memory({ initial: 1024, maximum: 1024 });
    new Uint8Array(memory.buffer).fill(1, 0, 4096);
    const before = resident();
    restoreImage(memory, image);
    expect(resident() - before).toBeLessThan(16);
    expect(new Uint8Array(memory.buffer).subarray(64, 4096).every((byte) => byte === 0)).toBe(true);
  });
});

/** This process's resident memory, MiB. */
function resident(): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))![1]) / 1024;
}

/** Whether reading 32 MiB never written leaves it without memory behind it, here. */
function kernelMapsZeroPageOnRead(): boolean {
  if (process.platform !== "linux") return false;
  const untouched = new Uint8Array(new ArrayBuffer(32 * 1024 * 1024));
  const before = resident();
  let sum = 0;
  for (let at = 0; at < untouched.length; at += 4096) sum += untouched[at]!;
  return sum === 0 && resident() - before < 8;
}

describe("glueRunsGuestCodeLater", () => {
  it.each([
    ["const r = new FinalizationRegistry((handle) => exports2['21'](handle));", "it exports resources, whose destructors run when the garbage collector finds them"],
    ["createNewCurrentTask({ componentIdx: 0, isAsync: true, ...", "it has async functions, which jco resumes after the call"],
    ["callbackFnName: 'callback_run',", "it has async functions, which jco resumes after the call"],
    ["createNewCurrentTask({ componentIdx: 0, isAsync: false, callbackFnName: null })", undefined],
  ])("%s", (glue, reason) => {
    expect(glueRunsGuestCodeLater(glue)).toBe(reason);
  });
});
