// Node 20 has no JSPI, yet jco's glue calls WebAssembly.promising for every export at every
// instantiation, always in this form:
//   try { fAsync = WebAssembly.promising(f); } catch (err) { fAsync = f; }
// The TypeError V8 throws for calling `undefined` names the callee, which V8 finds by re-parsing
// the calling function: jco's init function, thousands of lines (~0.8 ms per export, 22 ms of a
// 25 ms instance of a component with 28 exports). A prebuilt error still cost ~0.8 ms per file
// reader instance (6 exports) in a CPU profile of 1,000 calls: each throw is located in that
// same function.
// A stand-in that returns the export unchanged gives the value the catch would, with no throw.
// The glue of the pinned jco (see transpile-cache.ts) uses WebAssembly.promising only in that
// form, and never tests for it (a test checks the glue of the sample tools).

/** Makes a missing WebAssembly.promising hand back the export it is given; a real one is left alone. */
export function cheapenMissingPromising(): void {
  const api = WebAssembly as unknown as { promising?: unknown };
  if (api.promising !== undefined) return;
  api.promising = <F>(exported: F): F => exported;
}
