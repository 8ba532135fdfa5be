// jco's glue keeps, for each resource type a component instance imports or defines, a handle
// table (the guest's handle -> rep) and a capture table (rep -> the host's object, such as a WASI
// file or stream). They live in the closure of one instantiation, out of the host's reach, so a
// component with resources could not be reset: the handles of one call would still be in the
// tables at the next (a guest can name a handle by its number). This rewrite, applied once when
// the component is transpiled, adds a function in that closure that empties every table, and hands
// it to the worker through the import object at each instantiation, with one that tells whether
// any table holds a handle (right after instantiation, none should: a start function that took a
// handle would lose it at the first reset, so such an instance is not reset). A glue whose tables
// are not where this expects gets no function, and its component keeps a new instance per call.

/** The import object's key under which an instantiation hands over its clearing function. */
export const CLEAR_HANDLES_KEY = "airlock:clear-handles";

/** Empties every table; returns the host objects the guest still held (to dispose of). */
export type ClearHandles = () => unknown[];

/** What an instantiation hands over: the clearing function, and whether any table holds a handle. */
export interface GlueHandles {
  clear: ClearHandles;
  inUse: () => boolean;
}

const GENERATOR = /^( *)let gen= ?\(function\* _initGenerator \(\) \{\n/gm;
const MARKER = "function __airlockClearHandles()";

/** The glue with the clearing function added, or undefined when its tables are not all found. */
export function withClearableHandles(glue: string): string | undefined {
  const generators = [...glue.matchAll(GENERATOR)];
  if (generators.length !== 1 || glue.includes(MARKER)) return undefined;
  const generator = generators[0]!;
  // Only declarations at the generator's top level (one step in) are in the closure it shares.
  const indent = `${generator[1]}  `;
  const handleTables = numbers(glue, new RegExp(`^${indent}const handleTable(\\d+) = \\[T_FLAG, 0\\];$`, "gm"));
  const captureTables = numbers(glue, new RegExp(`^${indent}const captureTable(\\d+)= new Map\\(\\);$`, "gm"));
  const captureCounts = numbers(glue, new RegExp(`^${indent}let captureCnt(\\d+)= 0;$`, "gm"));
  // Any other spelling of a table, anywhere, means a layout this rewrite does not know.
  if (numbers(glue, /\bhandleTable(\d+) *=[^=]/g).length !== handleTables.length) return undefined;
  if (numbers(glue, /\bcaptureTable(\d+) *=[^=]/g).length !== captureTables.length) return undefined;
  if (captureTables.join() !== captureCounts.join()) return undefined;
  const handleList = `[${handleTables.map((n) => `handleTable${n}`).join(", ")}]`;
  const captureList = `[${captureTables.map((n) => `captureTable${n}`).join(", ")}]`;
  const body = [
    `  ${MARKER} {`,
    `    for (const table of ${handleList}) {`,
    "      table.length = 2;",
    "      table[0] = T_FLAG;",
    "      table[1] = 0;",
    "      table._createdReps?.clear();",
    "    }",
    "    const held = [];",
    ...captureTables.map((n) => `    for (const held${n} of captureTable${n}.values()) held.push(held${n});\n    captureTable${n}.clear();\n    captureCnt${n} = 0;`),
    "    return held;",
    "  }",
    `  imports[${JSON.stringify(CLEAR_HANDLES_KEY)}]?.({`,
    "    clear: __airlockClearHandles,",
    `    inUse: () => ${handleList}.some((table) => table.length > 2) || ${captureList}.some((capture) => capture.size > 0),`,
    "  });",
    "",
  ].join("\n");
  const insertAt = generator.index + generator[0].length;
  return glue.slice(0, insertAt) + body + glue.slice(insertAt);
}

/** Whether the glue was rewritten by withClearableHandles. */
export function glueClearsHandles(glue: string): boolean {
  return glue.includes(MARKER);
}

function numbers(text: string, pattern: RegExp): number[] {
  return [...text.matchAll(pattern)].map((m) => Number(m[1])).sort((a, b) => a - b);
}
