// airlock-tool-build [--no-cache] [tool-dir]  build the tool in the current (or given) folder
// airlock-tool-build types [tool-dir]    only generate the world's TypeScript types
// airlock-tool-build --watch [tool-dir]  rebuild on changes to src/ or wit/ and load into the store
import { relative } from "node:path";
import { buildTool, generateTypes } from "./build.js";
import { BuildError } from "./errors.js";
import { watchTool } from "./watch.js";

const USAGE = `usage: airlock-tool-build [--no-cache] [tool-dir]
                                               build <tool-dir>/wit + src/component.ts into dist/<name>.wasm
                                               (--no-cache: run componentize-js even if its inputs did not change)
       airlock-tool-build types [tool-dir]     generate the world's TypeScript types (package.json "airlock.types")
       airlock-tool-build --watch [--no-load] [tool-dir]
                                               rebuild on every change to src/ or wit/, then \`airlock load\` it`;

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith("-")));
const positional = args.filter((a) => !a.startsWith("-"));
const command = positional[0] === "types" ? positional.shift() : "build";
const unknown = [...flags].filter((f) => !["--watch", "--no-load", "--no-cache", "--help"].includes(f));
if (flags.has("--help") || positional.length > 1 || unknown.length > 0) {
  if (unknown.length > 0) console.error(`airlock-tool-build: unknown option ${unknown[0]}`);
  console.error(USAGE);
  process.exit(flags.has("--help") && unknown.length === 0 ? 0 : 2);
}
const toolDir = positional[0] ?? process.cwd();

try {
  if (command === "types") {
    const files = await generateTypes(toolDir);
    console.log(
      files.length ? `generated ${files.length} type files in ${relative(process.cwd(), files[0]!.replace(/\/[^/]*$/, "")) || "."}` : 'no "airlock.types" folder in package.json: nothing to generate',
    );
  } else if (flags.has("--watch")) {
    await watchTool(toolDir, { load: !flags.has("--no-load") });
  } else {
    const result = await buildTool(toolDir, { cache: !flags.has("--no-cache") });
    for (const warning of result.warnings) console.error(`airlock-tool-build: warning: ${warning}`);
    const size = (result.bytes / 1024 / 1024).toFixed(2);
    console.log(
      `built ${relative(process.cwd(), result.outFile)} ${result.version}: world ${result.world} (${result.capabilities.join(", ")}), ${size} MB in ${(result.milliseconds / 1000).toFixed(1)} s${result.cached ? " (componentize-js skipped: bundle and WIT unchanged)" : ""}`,
    );
  }
} catch (error) {
  if (error instanceof BuildError) {
    console.error(`airlock-tool-build: ${error.format()}`);
    process.exit(1);
  }
  throw error;
}
