// componentize-js and jco's type generator read WIT through preview2-shim, which has no default
// preopens: give them the whole disk, in the build process only. This module must never be
// loaded into a host, where that preopen would leak into every guest built without preopens.
import { _setPreopens } from "@bytecodealliance/preview2-shim/filesystem";

export function openWholeDiskForTheBuild(): void {
  // The browser typings are picked by TypeScript; the Node implementation takes host paths.
  _setPreopens({ "/": "/" } as never);
}
