#!/usr/bin/env node
// Builds the test fixture components under test/fixtures/, each with the toolchain its
// package.json names ("airlock.builder"):
//   componentize-js (default)  Airlock's own tool build, as every tool in tools/ uses
//   componentize-qjs           QuickJS, a foreign toolchain (sync runtime: Node 20 has no JSPI)
//   wasm-tools                 a component written by hand in WAT
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildTool } from "@airlock/tool-build";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { componentize } from "componentize-qjs";

const root = join(import.meta.dirname, "..", "test", "fixtures");
const only = process.argv.slice(2);

const builders = {
  "componentize-js": async (dir) => (await buildTool(dir)).outFile,
  "componentize-qjs": async (dir, name, options) => {
    const jsPath = join(dir, options.entry);
    const { component } = await componentize({ witPath: join(dir, options.wit), jsSource: await readFile(jsPath, "utf8"), jsPath, sync: true });
    return write(dir, name, component);
  },
  "wasm-tools": async (dir, name, options) => write(dir, name, await parse(await readFile(join(dir, options.entry), "utf8"))),
};

async function write(dir, name, bytes) {
  await mkdir(join(dir, "dist"), { recursive: true });
  const file = join(dir, "dist", `${name}.wasm`);
  await writeFile(file, bytes);
  return file;
}

for (const name of await readdir(root)) {
  if (only.length && !only.includes(name)) continue;
  const dir = join(root, name);
  const options = JSON.parse(await readFile(join(dir, "package.json"), "utf8")).airlock ?? {};
  const builder = builders[options.builder ?? "componentize-js"];
  if (!builder) throw new Error(`fixture ${name}: unknown builder "${options.builder}"`);
  const started = performance.now();
  await builder(dir, name, options);
  console.log(`built fixture ${name} with ${options.builder ?? "componentize-js"} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
