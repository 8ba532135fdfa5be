// What a tool and its function may be called. The tool's folder, component id, WIT package and
// world use its name; the function's name is its WIT export, the MCP tool's name, the camelCase
// export of src/component.ts and the file name of its logic (src/<function>.ts). Both must be WIT
// identifiers (kebab-case words that start with a letter) and not keywords.
export const WORLDS = ["pure", "files", "http"] as const;
export type WorldKind = (typeof WORLDS)[number];

const WIT_KEYWORDS = new Set(
  (
    "as async bool borrow char constructor enum export f32 f64 flags float32 float64 from func future " +
    "import include interface list option own package record resource result s16 s32 s64 s8 static " +
    "stream string tuple type u16 u32 u64 u8 use variant with world"
  ).split(" "),
);

/** The tool's WIT package is airlock:<name>: these are Airlock's own packages (wit/). */
const RESERVED = new Set(["capabilities", "tool"]);

/** Words JavaScript refuses as a `const` name: the function's camelCase export would not parse. */
const JS_RESERVED = new Set(
  (
    "arguments await break case catch class const continue debugger default delete do else enum eval export extends " +
    "false finally for function if implements import in instanceof interface let new null package private protected " +
    "public return static super switch this throw true try typeof var void while with yield"
  ).split(" "),
);

/** The host's built-in MCP tools (host/src/tools/tool-definitions.ts RESERVED_NAMES): the host refuses a component tool of that name. */
export const HOST_TOOL_NAMES: readonly string[] = [
  "load-component",
  "unload-component",
  "list-components",
  "get-policy",
  "grant-storage-permission",
  "grant-network-permission",
  "grant-environment-variable-permission",
  "revoke-storage-permission",
  "revoke-network-permission",
  "revoke-environment-variable-permission",
  "reset-permission",
];

/**
 * Names a world's template already uses beside the function: its record type, its source files
 * and the identifiers src/component.ts imports (or calls, as `fetch`).
 */
export const TEMPLATE_NAMES: Record<WorldKind, readonly string[]> = {
  pure: ["component", "text-size", "measure-text"],
  files: ["component", "counts", "wasi-files", "count-text", "read-text-file"],
  http: ["component", "page-summary", "check-url", "summarize", "fetch"],
};

const IDENTIFIER = /^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/;

/** Why `name` cannot name a tool, or undefined when it can. */
export function invalidNameReason(name: string): string | undefined {
  if (!name) return "a tool needs a name, e.g. pnpm create-tool word-count --world pure";
  if (name.length > 40) return `"${name}" is longer than 40 characters`;
  if (!IDENTIFIER.test(name)) {
    return `"${name}" is not a valid tool name: use lowercase words of letters and digits joined by "-", each starting with a letter (e.g. word-count)`;
  }
  if (WIT_KEYWORDS.has(name)) return `"${name}" is a WIT keyword and cannot name a world: pick another name, e.g. my-${name}`;
  if (RESERVED.has(name)) return `"${name}" would name the WIT package airlock:${name}, which Airlock itself defines: pick another name, e.g. my-${name}`;
  return undefined;
}

/**
 * Why `fn` cannot name the tool's function in `world`, or undefined when it can. `fromToolName`:
 * nobody chose it, it defaulted to the tool's name, so the fix is to pass --function.
 */
export function invalidFunctionReason(fn: string, world: WorldKind, fromToolName = false): string | undefined {
  const what = fromToolName ? `the function is named after the tool by default, but "${fn}"` : `--function "${fn}"`;
  const problem = functionProblem(fn, world);
  if (!problem) return undefined;
  if (problem === "format") return `${what} is not a valid function name: use lowercase words of letters and digits joined by "-", each starting with a letter (e.g. --function count-words)`;
  const other = [`my-${fn}`, "count-words"].find((f) => !functionProblem(f, world));
  return `${what} ${problem}: choose another with --function, e.g. --function ${other}`;
}

/** What is wrong with `fn`, as the end of a sentence ("format" for a malformed name). */
function functionProblem(fn: string, world: WorldKind): string | undefined {
  if (!IDENTIFIER.test(fn)) return "format";
  if (fn.length > 40) return "is longer than 40 characters";
  if (WIT_KEYWORDS.has(fn)) return "is a WIT keyword";
  if (JS_RESERVED.has(camelCase(fn))) return "is a JavaScript reserved word, so src/component.ts could not export it";
  if (HOST_TOOL_NAMES.includes(fn)) return "is the name of one of the host's built-in MCP tools, which the host refuses to a component";
  if (TEMPLATE_NAMES[world].includes(fn)) return `is a name the ${world} sample already uses (${TEMPLATE_NAMES[world].join(", ")})`;
  return undefined;
}

/** The longest description: one sentence, as package.json and the MCP tool description show it. */
export const MAX_DESCRIPTION = 200;

/** Why `description` cannot describe a tool, or undefined when it can. */
export function invalidDescriptionReason(description: string): string | undefined {
  const example = 'e.g. --description "Counts the words of a text"';
  if (!description.trim()) return `--description is empty: say in one sentence what the tool does, ${example}`;
  if (/[\r\n]/.test(description)) return `--description must be one line (it becomes package.json's description and the MCP tool's): ${example}`;
  if (description.length > MAX_DESCRIPTION) return `--description is ${description.length} characters: keep it to one sentence of at most ${MAX_DESCRIPTION}`;
  if (/^\s*TODO\b/i.test(description)) return `--description "${description}" reads as a placeholder, which the conformance kit fails: say what the tool does, ${example}`;
  return undefined;
}

/** What the scaffold says instead of a description: the conformance kit fails a tool that still says it. */
export function placeholderDescription(name: string): string {
  return `TODO: say in one sentence what ${name} does`;
}

export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `word-count` -> `WordCount`, as jco names a WIT type; here the prefix of the tool's error class. */
export function pascalCase(name: string): string {
  const camel = camelCase(name);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}
