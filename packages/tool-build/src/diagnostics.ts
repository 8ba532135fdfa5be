// Every export of a built tool is wrapped so that an exception the tool's code does not catch is
// reported (message and engine stack) through `airlock:tool/diagnostics` before the component
// traps: otherwise the caller sees only "unreachable". The bundle's source map travels in a
// custom section, so the host can name the tool's own file, line and column.
import { readFile, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { build } from "esbuild";
import { componentBundleOptions } from "./bundle.js";
import type { ToolConfig } from "./config.js";

export const DIAGNOSTICS_IMPORT = "airlock:tool/diagnostics@0.1.0";
export const SOURCE_MAP_SECTION = "airlock-source-map";

/** A world that is the tool's own plus the diagnostics import, in a file beside the tool's WIT. */
export async function writeBuildWorld(witPath: string, packageName: string, worldName: string): Promise<string> {
  const name = `${worldName}-airlock-build`;
  await writeFile(resolve(witPath, "airlock-build.wit"), `package ${packageName};\n\nworld ${name} {\n  include ${worldName};\n  import ${DIAGNOSTICS_IMPORT};\n}\n`);
  return name;
}

/** Bundles a module that re-exports the entry's exports, each function wrapped. Writes a source map. */
export async function bundleWrapped(config: ToolConfig, outFile: string, exportNames: string[]): Promise<void> {
  const names = exportNames.filter((n) => n !== "default");
  const wrapper = [
    `import * as tool from ${JSON.stringify(resolve(config.entry))};`,
    `import { uncaught } from ${JSON.stringify(DIAGNOSTICS_IMPORT)};`,
    WRAP_SOURCE,
    ...names.map((n) => `export const ${n} = wrapExport(tool.${n});`),
  ].join("\n");
  await build({
    ...componentBundleOptions(config, outFile),
    stdin: { contents: wrapper, resolveDir: config.dir, sourcefile: "airlock-entry.js", loader: "js" },
    sourcemap: "external",
    sourcesContent: false,
  });
}

/** The bundle's source map, its sources named relative to the tool's folder (`src/count.ts`). */
export async function toolSourceMap(config: ToolConfig, outFile: string): Promise<Uint8Array> {
  const map = JSON.parse(await readFile(`${outFile}.map`, "utf8")) as { sources: string[] };
  map.sources = map.sources.map((source) => relative(config.dir, resolve(dirname(outFile), source)));
  return new TextEncoder().encode(JSON.stringify(map));
}

// Runs inside the component. Classes (resources) are passed through: wrapping would break `new`.
const WRAP_SOURCE = `
function reportUncaught(error) {
  try {
    if (error instanceof Error) uncaught(String(error.message), String(error.stack ?? ""));
  } catch {}
}
function wrapFunction(fn) {
  if (/^class\\b/.test(Function.prototype.toString.call(fn))) return fn;
  return function (...args) {
    try {
      return fn.apply(this, args);
    } catch (error) {
      reportUncaught(error);
      throw error;
    }
  };
}
function wrapExport(value) {
  if (typeof value === "function") return wrapFunction(value);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, typeof member === "function" ? wrapFunction(member) : member]));
  }
  return value;
}`;
