// The resolve hook for fs-globsync-register.mjs: "fs" and "node:fs", imported from inside the
// conformance package, resolve to fs-with-globsync.mjs; every other import is left alone.
const REPLACEMENT = new URL("./fs-with-globsync.mjs", import.meta.url).href;
const CONFORMANCE = /\/node_modules\/@modelcontextprotocol\/conformance\//;

export async function resolve(specifier, context, nextResolve) {
  if ((specifier === "fs" || specifier === "node:fs") && context.parentURL && CONFORMANCE.test(context.parentURL)) {
    return { url: REPLACEMENT, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
