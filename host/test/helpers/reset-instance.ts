// A core module from WAT, prepared as the host prepares it for resets (capped, its state exposed,
// its memory imported and started from the image), instantiated, with its snapshot taken.
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { capMemory, PAGE } from "../../src/executor/memory-limit.js";
import { makeRecyclable, RECYCLED_MEMORY_IMPORT, restoreImage } from "../../src/executor/recyclable-module.js";
import { exposeState } from "../../src/executor/reset/state-exports.js";
import { InstanceSnapshot } from "../../src/executor/reset/instance-reset.js";

export const LIMIT = 64 * PAGE;

export const wat = async (text: string) => capMemory(await parse(text), LIMIT);

export async function resettableInstance(text: string, hostImports: WebAssembly.Imports = {}) {
  const exposed = exposeState(await wat(text));
  if (exposed.resetBlocker) throw new Error(exposed.resetBlocker);
  const recyclable = makeRecyclable(exposed.module);
  if ("unsupported" in recyclable) throw new Error(recyclable.unsupported);
  const memory = new WebAssembly.Memory({ initial: recyclable.image.minPages, maximum: recyclable.image.maxPages });
  restoreImage(memory, recyclable.image, true);
  const imports = { ...hostImports, [RECYCLED_MEMORY_IMPORT.module]: { [RECYCLED_MEMORY_IMPORT.name]: memory } };
  const instance = await WebAssembly.instantiate(await WebAssembly.compile(recyclable.module), imports);
  const snapshot = InstanceSnapshot.take([instance], [imports], [{ memory, image: recyclable.image }]);
  return { exports: instance.exports as Record<string, (...args: number[]) => unknown>, snapshot, memory };
}
