// Caps a core module's linear memories by rewriting the maximum in its memory section, before
// it is compiled. Worker resourceLimits do not bound wasm memory; a maximum in the module does:
// growing past it fails inside the guest, which then fails the call.
import { concat, encodeLeb, readLeb, rewriteSections } from "@airlock/wit-parser/binary";

const MEMORY_SECTION = 5;
export const PAGE = 64 * 1024;

export class MemoryLimitError extends Error {
  override name = "MemoryLimitError";
}

/** A copy of the core module whose defined memories may grow to at most `limitBytes`. */
export function capMemory(module: Uint8Array, limitBytes: number): Uint8Array {
  const limitPages = Math.floor(limitBytes / PAGE);
  return rewriteSections(module, (id, body) => (id === MEMORY_SECTION ? capMemories(body, limitPages) : undefined));
}

function capMemories(section: Uint8Array, limitPages: number): Uint8Array {
  const [count, first] = readLeb(section, 0);
  const out: Uint8Array[] = [encodeLeb(count)];
  let pos = first;
  for (let i = 0; i < count; i++) {
    const flags = section[pos++]!;
    if (flags > 0x03) throw new MemoryLimitError("the component uses 64-bit or custom-page memories, which the memory limit cannot cap yet");
    const [min, afterMin] = readLeb(section, pos);
    pos = afterMin;
    let max = Infinity;
    if (flags & 0x01) [max, pos] = readLeb(section, pos);
    if (min > limitPages) {
      throw new MemoryLimitError(
        `the component needs ${(min * PAGE) / 2 ** 20} MiB of memory to start, more than its limit of ${(limitPages * PAGE) / 2 ** 20} MiB: raise resources.limits.memory in its policy`,
      );
    }
    out.push(Uint8Array.of(flags | 0x01), encodeLeb(min), encodeLeb(Math.min(max, limitPages)));
  }
  return concat(out);
}
