// wasm-tools prints the WIT of a component's own package only: interfaces the component imports
// or exports from other packages (`demo:calc/ops@0.3.0`) appear by name, without their types.
// Renaming those top-level imports and exports into the component's own package
// (`root:component/demo-calc-ops-v0x3x0`) makes wasm-tools print them in full, `use` between
// them included. The renamed binary is only read, never run.
import { concat, encodeLeb, readLeb, rewriteSections } from "./binary.js";

const ROOT_PACKAGE = "root:component";

export interface PrintableComponent {
  bytes: Uint8Array;
  /** New interface name (as printed, inside the root package) -> the original full name. */
  renamed: Map<string, string>;
}

/** `demo:calc/ops@0.3.0` -> `demo-calc-ops-v0x3x0`: one kebab label, distinct per version. */
export function printableInterfaceName(qualified: string): string {
  const [path, version] = qualified.split("@") as [string, string | undefined];
  const label = path.replace(/[:/]/g, "-");
  return version ? `${label}-v${version.replace(/[^a-z0-9]/gi, "x").toLowerCase()}` : label;
}

export function withPrintableNames(bytes: Uint8Array): PrintableComponent {
  const renamed = new Map<string, string>();
  try {
    const rewritten = rewriteSections(bytes, (id, body) => (id === IMPORT_SECTION || id === EXPORT_SECTION ? concat(renameEntries(body, id === IMPORT_SECTION, renamed)) : undefined));
    return { bytes: rewritten, renamed };
  } catch {
    // An encoding this reader does not know: describe the component as it is.
    return { bytes, renamed: new Map() };
  }
}

const IMPORT_SECTION = 10;
const EXPORT_SECTION = 11;

function renameEntries(section: Uint8Array, isImport: boolean, renamed: Map<string, string>): Uint8Array[] {
  const [count, first] = readLeb(section, 0);
  const out: Uint8Array[] = [encodeLeb(count)];
  let pos = first;
  for (let i = 0; i < count; i++) {
    const tag = section[pos]!;
    if (tag !== 0x00) throw new Error(`unknown name encoding ${tag}`);
    const [length, nameStart] = readLeb(section, pos + 1);
    const name = new TextDecoder().decode(section.subarray(nameStart, nameStart + length));
    const restStart = nameStart + length;
    const restEnd = isImport ? skipExternDesc(section, restStart) : skipExport(section, restStart);
    let newName = name;
    if (name.includes(":") && name.includes("/")) {
      const label = printableInterfaceName(name);
      renamed.set(label, name);
      newName = `${ROOT_PACKAGE}/${label}`;
    }
    const nameBytes = new TextEncoder().encode(newName);
    out.push(Uint8Array.of(0x00), encodeLeb(nameBytes.length), nameBytes, section.subarray(restStart, restEnd));
    pos = restEnd;
  }
  if (pos !== section.length) throw new Error("trailing bytes in section");
  return out;
}

/** sortidx, then an optional externdesc. */
function skipExport(bytes: Uint8Array, pos: number): number {
  const sort = bytes[pos++]!;
  if (sort === 0x00) pos++;
  pos = readLeb(bytes, pos)[1];
  const hasType = bytes[pos++]!;
  return hasType === 0x01 ? skipExternDesc(bytes, pos) : pos;
}

function skipExternDesc(bytes: Uint8Array, pos: number): number {
  const kind = bytes[pos++]!;
  switch (kind) {
    case 0x00: // core module: 0x11 typeidx
      return readLeb(bytes, pos + 1)[1];
    case 0x01: // func typeidx
    case 0x04: // component typeidx
    case 0x05: // instance typeidx
      return readLeb(bytes, pos)[1];
    case 0x03: // type bound: eq typeidx | sub resource
      return bytes[pos] === 0x00 ? readLeb(bytes, pos + 1)[1] : pos + 1;
    default:
      throw new Error(`unsupported extern kind ${kind}`);
  }
}
