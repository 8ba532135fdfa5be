// What the benchmarks share: the native server bundled with esbuild, and a store with the sample
// tools (and any other components) loaded and granted what their calls need: the fetcher a
// loopback site, the file reader a directory with one small text file.
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";
import { build } from "esbuild";

const here = import.meta.dirname;
export const CLI = join(here, "..", "dist", "cli.bundle.js");
export const SAMPLE_TOOLS = ["grammar-checker", "fetcher", "file-reader"].map((t) => join(here, "..", "..", "tools", t, "dist", `${t}.wasm`));

/** bench/native-server.ts bundled into `work`; returns the file to run with node. */
export async function buildNativeServer(work) {
  const native = join(work, "native-server.mjs");
  await build({
    entryPoints: [join(here, "native-server.ts")],
    outfile: native,
    bundle: true,
    platform: "node",
    format: "esm",
    loader: { ".aff": "text", ".dic": "text" },
    logLevel: "silent",
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  return native;
}

/**
 * A store in `work/home` with `components` loaded, a loopback site the fetcher may fetch and a
 * document the file reader may read (its lines made of `text`).
 */
export async function sampleStore(work, components, text) {
  const env = { ...process.env, AIRLOCK_HOME: join(work, "home") };
  for (const file of components) execFileSync(process.execPath, [CLI, "load", file, "--quiet"], { env });
  const site = createServer((req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html><body><main><h1>Hi</h1><p>A small page.</p></main></body></html>"));
  await new Promise((r) => site.listen(0, "127.0.0.1", r));
  execFileSync(process.execPath, [CLI, "grant", "fetcher", "network", `127.0.0.1:${site.address().port}`], { env });
  const documents = join(work, "documents");
  await mkdir(documents);
  const document = join(documents, "notes.txt");
  await writeFile(document, Array.from({ length: 40 }, (_, i) => `line ${i + 1}: ${text}`).join("\n"));
  execFileSync(process.execPath, [CLI, "grant", "file-reader", "storage", documents, "--access", "read"], { env });
  return { env, site, siteUrl: `http://127.0.0.1:${site.address().port}/`, document };
}
