// A tool's own source file as a Babel AST, for the checks that read it before componentizing:
// TypeScript or JavaScript by its extension; unparsable files are left to tsc and esbuild.
import { parseAsync, type types as t } from "@babel/core";

export async function parseToolSource(file: string, source: string): Promise<t.File | null> {
  return parseAsync(source, {
    filename: file,
    babelrc: false,
    configFile: false,
    sourceType: "unambiguous",
    parserOpts: { plugins: /\.[cm]?tsx?$/.test(file) ? ["typescript"] : [] },
  }).catch(() => null);
}
