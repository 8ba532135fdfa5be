// The component's engine (StarlingMonkey: SpiderMonkey built without ICU) rejects Unicode
// property escapes such as `/\p{L}+/u`, which Node accepts. Babel's regex plugins (regexpu-core)
// rewrite each such literal into the explicit character class it stands for, file by file,
// before esbuild bundles it; the file's source map goes with it, so errors still name the
// tool's own line. Files without `\p{` / `\P{` are not touched.
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { transformAsync } from "@babel/core";
import unicodePropertyRegex from "@babel/plugin-transform-unicode-property-regex";
import unicodeSetsRegex from "@babel/plugin-transform-unicode-sets-regex";
import type { Loader, Plugin } from "esbuild";

/** Text that may hold a Unicode property escape; a false positive only costs one Babel pass. */
const PROPERTY_ESCAPE = /\\[pP]\{/;

const LOADERS: Record<string, Loader> = { js: "js", mjs: "js", cjs: "js", jsx: "jsx", ts: "ts", mts: "ts", cts: "ts", tsx: "tsx" };

/** The esbuild plugin: loads JavaScript and TypeScript files, rewriting their property escapes. */
export function unicodeRegexPlugin(): Plugin {
  return {
    name: "airlock-unicode-regex",
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async ({ path }) => {
        const source = await readFile(path, "utf8");
        if (!PROPERTY_ESCAPE.test(source)) return undefined;
        const extension = path.slice(path.lastIndexOf(".") + 1);
        const contents = await rewritePropertyEscapes(source, path);
        return contents === undefined ? undefined : { contents, loader: LOADERS[extension] ?? "js" };
      });
    },
  };
}

/**
 * `source` with every regex literal's property escapes (and `v`-flag set operations) expanded,
 * ending in an inline source map back to `source`; undefined when Babel cannot parse the file
 * (esbuild then reports the syntax error itself, and any escape left fails the build with its
 * line, see engine-errors.ts).
 */
export async function rewritePropertyEscapes(source: string, path: string): Promise<string | undefined> {
  const typescript = /\.[cm]?tsx?$/.test(path);
  try {
    const result = await transformAsync(source, {
      filename: path,
      sourceFileName: basename(path),
      babelrc: false,
      configFile: false,
      sourceType: "unambiguous",
      parserOpts: { plugins: [...(typescript ? (["typescript"] as const) : []), ...(path.endsWith("x") ? (["jsx"] as const) : [])] },
      plugins: [unicodePropertyRegex, unicodeSetsRegex],
      // Lines stay where they were, so a position is right even before the map is applied.
      retainLines: true,
      sourceMaps: true,
    });
    if (!result?.code || !result.map) return undefined;
    const map = Buffer.from(JSON.stringify(result.map)).toString("base64");
    return `${result.code}\n//# sourceMappingURL=data:application/json;base64,${map}\n`;
  } catch {
    return undefined;
  }
}
