// What a component's jco glue asks of its import object, read from the glue's text (jco's output
// for a pinned version: see transpile-cache.ts), and how the worker spells what it offers.

export type ImportObject = Record<string, Record<string, unknown>>;

/**
 * Whether the glue looks up any WASI interface. A component that imports none (a `pure` tool)
 * runs without the WASI shim: importing preview2-shim starts an I/O thread of its own in every
 * worker, and costs ~60 ms at the worker's start.
 */
export function glueImportsWasi(glue: string): boolean {
  return /\bimports\[['"]wasi:/.test(glue);
}

/** jco looks imports up with and without their version: offer both spellings. */
export function withVersionedKeys(imports: ImportObject, versions: string[]): ImportObject {
  const out: ImportObject = { ...imports };
  for (const [key, value] of Object.entries(imports)) {
    for (const version of versions) out[`${key}@${version}`] = value;
  }
  return out;
}
