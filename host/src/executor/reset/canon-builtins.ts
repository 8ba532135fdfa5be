// Whether jco's glue keeps state of a component's own making between calls: it does for every
// canonical built-in other than `canon lift` and `canon lower` (resource.new, error-context.new,
// waitable-set.new, stream and future built-ins...). Their handle tables and values live in the
// glue's JavaScript, which a reset does not restore, so such a component gets a new instance per
// call. Read from the component's canon sections (nested components included): the component's
// own declaration of what it uses, not a guess from the glue's text.
import { readLeb } from "@airlock/wit-parser/binary";

const SECTION = { component: 4, canon: 8 } as const;
const LIFT = 0x00;
const LOWER = 0x01;
const NAMES: Record<number, string> = { 0x02: "resource.new", 0x03: "resource.drop", 0x04: "resource.rep" };

/** The first canonical built-in the component uses besides lift and lower, or undefined. */
export function statefulBuiltin(component: Uint8Array): string | undefined {
  let pos = 8;
  while (pos < component.length) {
    const id = component[pos]!;
    const [size, start] = readLeb(component, pos + 1);
    const body = component.subarray(start, start + size);
    const found = id === SECTION.component ? statefulBuiltin(body) : id === SECTION.canon ? inCanonSection(body) : undefined;
    if (found) return found;
    pos = start + size;
  }
  return undefined;
}

function inCanonSection(body: Uint8Array): string | undefined {
  const [count, first] = readLeb(body, 0);
  let pos = first;
  for (let i = 0; i < count; i++) {
    const op = body[pos]!;
    if (op !== LIFT && op !== LOWER) return `it uses the canonical built-in ${NAMES[op] ?? `0x${op.toString(16)}`}, whose handles jco's glue keeps between calls`;
    pos = readLeb(body, pos + 2)[1]; // the sort byte (core func), then the function index
    const [options, afterCount] = readLeb(body, pos);
    pos = afterCount;
    for (let o = 0; o < options; o++) {
      const option = body[pos++]!;
      if (option === 0x03 || option === 0x04 || option === 0x05 || option === 0x07) pos = readLeb(body, pos)[1];
      else if (option > 0x07) return `it uses a canonical option (0x${option.toString(16)}) the host does not know`;
    }
    if (op === LIFT) pos = readLeb(body, pos)[1]; // the function type
  }
  return undefined;
}
