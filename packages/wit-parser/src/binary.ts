// Small helpers for the WebAssembly binary format: LEB128 numbers and byte concatenation.

export function readLeb(bytes: Uint8Array, start: number): [value: number, next: number] {
  let result = 0;
  let shift = 0;
  let pos = start;
  for (;;) {
    if (pos >= bytes.length || shift > 28) throw new Error(`malformed LEB128 number at byte ${start}`);
    const byte = bytes[pos++]!;
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7;
  }
}

export function encodeLeb(value: number): Uint8Array {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Uint8Array.from(out);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Rewrites the top-level sections of a module or component: `rewrite(id, body)` returns a new
 * body for the section, `null` to drop it, or `undefined` to keep it as it is.
 */
export function rewriteSections(bytes: Uint8Array, rewrite: (id: number, body: Uint8Array) => Uint8Array | null | undefined): Uint8Array {
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos]!;
    const [size, start] = readLeb(bytes, pos + 1);
    const end = start + size;
    if (end > bytes.length) throw new Error(`truncated WebAssembly binary: a section runs past the end at byte ${pos}`);
    const body = rewrite(id, bytes.subarray(start, end));
    if (body === undefined) parts.push(bytes.subarray(pos, end));
    else if (body !== null) parts.push(Uint8Array.of(id), encodeLeb(body.length), body);
    pos = end;
  }
  return concat(parts);
}
