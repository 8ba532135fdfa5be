// Reads and writes top-level custom sections of a WebAssembly binary (component or module).
// A custom section is: id 0, a LEB128 size, a LEB128-prefixed UTF-8 name, then the payload.
import { concat, encodeLeb, readLeb, rewriteSections } from "./binary.js";

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

export interface CustomSection {
  name: string;
  payload: Uint8Array;
}

export function isComponent(bytes: Uint8Array): boolean {
  // Components use layer 1 in the high half of the version field: 0d 00 01 00.
  return hasMagic(bytes) && bytes[6] === 0x01 && bytes[7] === 0x00;
}

export function readCustomSections(bytes: Uint8Array): CustomSection[] {
  if (!hasMagic(bytes)) throw new Error("not a WebAssembly binary: it does not start with \\0asm");
  const sections: CustomSection[] = [];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos++]!;
    const [size, afterSize] = readLeb(bytes, pos);
    const end = afterSize + size;
    if (end > bytes.length) throw new Error(`truncated WebAssembly binary: a section runs past the end at byte ${pos}`);
    if (id === 0) {
      const [nameLength, afterName] = readLeb(bytes, afterSize);
      const name = new TextDecoder().decode(bytes.subarray(afterName, afterName + nameLength));
      sections.push({ name, payload: bytes.subarray(afterName + nameLength, end) });
    }
    pos = end;
  }
  return sections;
}

/** Returns a copy of the binary without the custom sections of the given names. */
export function removeCustomSections(bytes: Uint8Array, names: string[]): Uint8Array {
  const dropped = new Set(names);
  return rewriteSections(bytes, (id, body) => {
    if (id !== 0) return undefined;
    const [nameLength, afterName] = readLeb(body, 0);
    return dropped.has(new TextDecoder().decode(body.subarray(afterName, afterName + nameLength))) ? null : undefined;
  });
}

/** Returns a copy of the binary with the given custom sections in place of any of the same name. */
export function replaceCustomSections(bytes: Uint8Array, sections: CustomSection[]): Uint8Array {
  const stripped = removeCustomSections(
    bytes,
    sections.map((s) => s.name),
  );
  return concat([stripped, ...sections.map(encodeCustomSection)]);
}

export function encodeCustomSection({ name, payload }: CustomSection): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const body = concat([encodeLeb(nameBytes.length), nameBytes, payload]);
  return concat([Uint8Array.of(0), encodeLeb(body.length), body]);
}

function hasMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && MAGIC.every((b, i) => bytes[i] === b);
}
