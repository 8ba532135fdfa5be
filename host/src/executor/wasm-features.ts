// V8's wasm settings, made before the first compile (worker threads inherit them). Wasm proposals
// some toolchains rely on that Node 20's V8 ships behind flags. Components built
// with componentize-qjs use extended constant expressions (`i32.add` in a global initializer).
// NODE_OPTIONS refuses this flag; setting it before the first compile works, and worker
// threads inherit it.
import { setFlagsFromString } from "node:v8";

let enabled = false;

export function enableWasmFeatures(): void {
  if (enabled) return;
  enabled = true;
  // Each function body is validated when V8 first compiles it (lazily, at its first call) rather
  // than all 9 MB of a componentize-js module before the component's first call can start (~45
  // ms of it). No function runs unvalidated; an invalid one fails the call that reaches it.
  setFlagsFromString("--wasm-lazy-validation");
  const [major] = process.versions.node.split(".").map(Number);
  if ((major ?? 0) < 22) setFlagsFromString("--experimental-wasm-extended-const");
}
