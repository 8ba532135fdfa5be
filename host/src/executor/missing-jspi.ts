// Node 20 has no JSPI, yet jco's glue calls WebAssembly.promising for every export at every
// instantiation, in a try whose catch falls back to the plain export. The TypeError V8 throws
// for calling `undefined` names the callee, which V8 finds by re-parsing the calling function:
// jco's init function, thousands of lines. That cost ~0.8 ms per export, 22 ms of a 25 ms
// instance of a component with 28 exports. A stand-in that throws a prebuilt error leads to the
// same fallback at no cost. The glue of the pinned jco (see transpile-cache.ts) uses
// WebAssembly.promising only inside such a try, and never tests for it.

/** Makes a missing WebAssembly.promising cheap to call and fail; a real one is left alone. */
export function cheapenMissingPromising(): void {
  const api = WebAssembly as unknown as { promising?: unknown };
  if (api.promising !== undefined) return;
  const unavailable = new TypeError("WebAssembly.promising is not available: this Node has no JSPI");
  api.promising = () => {
    throw unavailable;
  };
}
