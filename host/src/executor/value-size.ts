// Whether a value (as jco returns it) fits in `limit` bytes, counted roughly as its JSON would
// be, without building the JSON: a 100 MB string is rejected without copying it.
export function sizeAtMost(value: unknown, limit: number): boolean {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === "string") total += item.length + 2;
    else if (item instanceof Uint8Array) total += item.length * 4;
    else if (Array.isArray(item)) {
      total += 2 + item.length;
      for (const element of item) stack.push(element);
    } else if (item !== null && typeof item === "object") {
      for (const [key, element] of Object.entries(item)) {
        total += key.length + 4;
        stack.push(element);
      }
    } else total += 8;
    if (total > limit) return false;
  }
  return true;
}

/** Whether a value nests arrays and objects at most `limit` deep, checked without recursion. */
export function depthAtMost(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== "object" || ArrayBuffer.isView(item)) continue;
    if (depth >= limit) return false;
    for (const element of Array.isArray(item) ? item : Object.values(item)) stack.push([element, depth + 1]);
  }
  return true;
}

/** Nesting beyond this is refused in arguments and results: deeper values overflow stacks on the way. */
export const MAX_NESTING = 128;
