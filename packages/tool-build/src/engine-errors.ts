// componentize-js parses the bundle and runs its top-level code in the component's engine
// (StarlingMonkey, under Wizer). When that throws, the report names only the temporary bundle
// (`bundle.js:5:24 SyntaxError: ...`): this maps the place back to the tool's own source through
// the bundle's source map and names the engine gap, which is not a WIT problem.
import { originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";
import { BuildError } from "./errors.js";

/** `.../bundle.js:5:24 SyntaxError: invalid class property name in regular expression:` */
const ENGINE_EXCEPTION = /bundle\.js:(\d+):(\d+) ((?:\w+Error|\w+)): (.*?):?$/m;

interface Gap {
  test: RegExp;
  construct: string;
  hint: string;
}

export type GapName = "property-escape" | "normalize" | "intl" | "shared-array-buffer";

/** The gaps a tool meets at build time, by the engine's message (README.md "Engine gaps"). */
export const GAPS: Record<GapName, Gap> = {
  "property-escape": {
    test: /property name in regular expression/,
    construct: "a Unicode property escape (\\p{...}) in a regular expression",
    hint: "the component's engine has no Unicode property escapes; the build rewrites them in regex literals (/\\p{L}+/u) but not in a pattern made at run time: write the pattern as a literal, or list the characters",
  },
  normalize: {
    test: /\.normalize is not a function/,
    construct: "String.prototype.normalize",
    hint: "the component's engine has no String.prototype.normalize (it is built without ICU): leave the text as it is, or bundle a normalization library",
  },
  intl: {
    test: /\bIntl\b/,
    construct: "Intl",
    hint: "the component's engine has no Intl (no Segmenter, NumberFormat, Collator, DateTimeFormat, PluralRules): use a library or plain code instead",
  },
  "shared-array-buffer": {
    test: /SharedArrayBuffer/,
    construct: "SharedArrayBuffer",
    hint: "the component's engine has no SharedArrayBuffer (a component runs on one thread): use an ArrayBuffer",
  },
};

const TOP_LEVEL_HINT =
  "this is the component's engine failing on the module's top-level code, which runs during the build: fix that line, or move the code into the function that uses it and cover it with a test that calls the built component";

/**
 * A BuildError naming the construct and the tool's own line, or undefined when `message` is not
 * an engine exception. `sourceMap` is the bundle's, its sources relative to the tool (toolSourceMap).
 */
export function engineError(message: string, sourceMap: string | undefined): BuildError | undefined {
  const thrown = ENGINE_EXCEPTION.exec(message);
  if (!thrown) return undefined;
  const [, line, column, name, text] = thrown as unknown as [string, string, string, string, string];
  const where = originalPlace(sourceMap, Number(line), Number(column)) ?? `the bundle at line ${line}, column ${column}`;
  // For a regex, the engine's next line repeats the pattern it refused.
  const lines = message.split("\n");
  const next = lines[lines.findIndex((l) => l.includes(thrown[0])) + 1];
  const pattern = next?.includes(`bundle.js:${line}:${column} `) ? next.replace(/^.*bundle\.js:\d+:\d+ /, "").trim() : undefined;
  const gap = Object.values(GAPS).find((g) => g.test.test(`${name}: ${text}`));
  const detail = `${name}: ${text}${name === "SyntaxError" && pattern ? ` ${pattern}` : ""}`;
  const what = gap ? `${gap.construct} is not supported by the component's engine: ${detail}` : `the module's top-level code threw in the component's engine: ${detail}`;
  return new BuildError(`${where}: ${what}`, gap?.hint ?? TOP_LEVEL_HINT);
}

/** `src/words.ts:3:15`, from a 1-based place in the bundle; undefined when the map does not know it. */
function originalPlace(sourceMap: string | undefined, line: number, column: number): string | undefined {
  if (!sourceMap) return undefined;
  try {
    const map = new TraceMap(sourceMap);
    const original = originalPositionFor(map, { line, column: Math.max(0, column - 1) });
    if (original.source === null || original.line === null) return undefined;
    return `${original.source}:${original.line}:${(original.column ?? 0) + 1}`;
  } catch {
    return undefined;
  }
}
