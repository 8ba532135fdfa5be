// Wasm proposals some toolchains rely on that Node 20's V8 ships behind flags. Components built
// with componentize-qjs use extended constant expressions (`i32.add` in a global initializer).
// NODE_OPTIONS refuses this flag; setting it before the first compile works, and worker
// threads inherit it.
import { setFlagsFromString } from "node:v8";

let enabled = false;

export function enableWasmFeatures(): void {
  if (enabled) return;
  enabled = true;
  const [major] = process.versions.node.split(".").map(Number);
  if ((major ?? 0) < 22) setFlagsFromString("--experimental-wasm-extended-const");
}
