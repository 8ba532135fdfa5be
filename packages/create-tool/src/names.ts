// What a tool may be called: its folder, component id, WIT package and world all use the name,
// so it must be a WIT identifier (kebab-case words that start with a letter) and not a keyword.
export const WORLDS = ["pure", "files", "http"] as const;
export type WorldKind = (typeof WORLDS)[number];

const WIT_KEYWORDS = new Set(
  ("as async bool borrow char constructor enum export f32 f64 flags float32 float64 from func future " +
    "import include interface list option own package record resource result s16 s32 s64 s8 static " +
    "stream string tuple type u16 u32 u64 u8 use variant with world").split(" "),
);

/** The tool's WIT package is airlock:<name>: these are Airlock's own packages (wit/). */
const RESERVED = new Set(["capabilities", "tool"]);

/** Why `name` cannot name a tool, or undefined when it can. */
export function invalidNameReason(name: string): string | undefined {
  if (!name) return "a tool needs a name, e.g. pnpm create-tool word-count --world pure";
  if (name.length > 40) return `"${name}" is longer than 40 characters`;
  if (!/^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/.test(name)) {
    return `"${name}" is not a valid tool name: use lowercase words of letters and digits joined by "-", each starting with a letter (e.g. word-count)`;
  }
  if (WIT_KEYWORDS.has(name)) return `"${name}" is a WIT keyword and cannot name a world: pick another name, e.g. my-${name}`;
  if (RESERVED.has(name)) return `"${name}" would name the WIT package airlock:${name}, which Airlock itself defines: pick another name, e.g. my-${name}`;
  return undefined;
}

export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
