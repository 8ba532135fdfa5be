#!/usr/bin/env node
// Bundles the CLI's own thread (dist/cli.js and everything it imports, the MCP SDK and zod
// included) into dist/cli.bundle.js, which bin/airlock.js runs. Loading ~220 files one by one
// took ~0.2 s of every `airlock serve` start (spawn -> first tools/list, measured side by side);
// one file loads in a fraction of that. Worker threads (worker-main.js, jco-process-main.js)
// are started from their own files and stay unbundled, and so does koffi (a native addon).
//
// A module that finds files next to itself (`new URL("../schema/", import.meta.url)`,
// `createRequire(import.meta.url)`) would find them next to the bundle instead: each module's
// `import.meta.url` is rewritten to its own file's URL, made from the bundle's, so the bundle
// stays relocatable with the package.
import { readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { build } from "esbuild";

const dist = join(import.meta.dirname, "..", "dist");

/** Each dist module's import.meta.url, as a URL relative to the bundle's own. */
const ownUrl = {
  name: "own-import-meta-url",
  setup(builder) {
    builder.onLoad({ filter: /\/host\/dist\/.*\.js$/ }, async ({ path }) => {
      const source = await readFile(path, "utf8");
      if (!source.includes("import.meta.url")) return undefined;
      const fromBundle = `./${relative(dist, path)}`;
      return {
        contents: source.replaceAll("import.meta.url", `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`),
        loader: "js",
        resolveDir: dirname(path),
      };
    });
  },
};

await build({
  entryPoints: [join(dist, "cli.js")],
  outfile: join(dist, "cli.bundle.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Native code, and the workspace's own packages (some find files next to themselves, and the
  // bundle must not bake in where the monorepo keeps them): loaded from node_modules as installed.
  external: ["koffi", "@airlock/*"],
  // CommonJS dependencies bundled into an ES module still call require().
  banner: { js: 'import { createRequire as __airlockCreateRequire } from "node:module"; const require = __airlockCreateRequire(import.meta.url);' },
  plugins: [ownUrl],
  logLevel: "warning",
});
