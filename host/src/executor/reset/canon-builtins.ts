// Whether jco's glue keeps state of a component's own making between calls: it does for every
// canonical built-in other than `canon lift` and `canon lower` (resource.new, error-context.new,
// waitable-set.new, stream and future built-ins...). Their handle tables and values live in the
// glue's JavaScript, which a reset does not restore, so such a component gets a new instance per
// call. Read from the component's canon sections (nested components included): the component's
// own declaration of what it uses, not a guess from the glue's text. `resource.drop` alone (how a
// guest gives back a WASI file or stream) is allowed when the glue empties its handle tables at a
// reset (glue-handles.ts): its only state is in those tables.
import { readLeb } from "@airlock/wit-parser/binary";

const SECTION = { component: 4, canon: 8 } as const;
const LIFT = 0x00;
const LOWER = 0x01;
const RESOURCE_DROP = 0x03;
const NAMES: Record<number, string> = { 0x02: "resource.new", [RESOURCE_DROP]: "resource.drop", 0x04: "resource.rep" };

/**
 * The first canonical built-in the component uses besides lift and lower (and resource.drop when
 * `handlesCleared`: the glue empties its handle tables at a reset), or undefined.
 */
export function statefulBuiltin(component: Uint8Array, handlesCleared = false): string | undefined {
  let pos = 8;
  while (pos < component.length) {
    const id = component[pos]!;
    const [size, start] = readLeb(component, pos + 1);
    const body = component.subarray(start, start + size);
    const found = id === SECTION.component ? statefulBuiltin(body, handlesCleared) : id === SECTION.canon ? inCanonSection(body, handlesCleared) : undefined;
    if (found) return found;
    pos = start + size;
  }
  return undefined;
}

function inCanonSection(body: Uint8Array, handlesCleared: boolean): string | undefined {
  const [count, first] = readLeb(body, 0);
  let pos = first;
  for (let i = 0; i < count; i++) {
    const op = body[pos]!;
    if (op === RESOURCE_DROP && handlesCleared) {
      pos = readLeb(body, pos + 1)[1]; // the resource type's index
      continue;
    }
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
