// The WASI imports a guest gets: deny by default. No preopens, no environment, argv is the
// component id, no working directory, no network. Guest stdout/stderr go to this worker's
// process streams, which the host captures (never the host's own stdout).
import { WASIShim } from "@bytecodealliance/preview2-shim/instantiation";

type ImportObject = Record<string, Record<string, unknown>>;

export function denyAllWasiImports(componentId: string): ImportObject {
  const shim = new WASIShim({ sandbox: { preopens: {}, env: {}, args: [componentId], enableNetwork: false } });
  const imports = shim.getImportObject() as unknown as ImportObject;
  const environment = imports["wasi:cli/environment"];
  if (environment) {
    // The shim's sandbox mode still reports the host's cwd.
    imports["wasi:cli/environment"] = { ...environment, initialCwd: () => undefined };
  }
  return imports;
}

/** jco looks imports up with and without their version: offer both spellings. */
export function withVersionedKeys(imports: ImportObject, versions: string[]): ImportObject {
  const out: ImportObject = { ...imports };
  for (const [key, value] of Object.entries(imports)) {
    for (const version of versions) out[`${key}@${version}`] = value;
  }
  return out;
}
