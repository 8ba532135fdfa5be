// The worker's stand-in for Node 20's missing WebAssembly.promising returns the export it is
// given (missing-jspi.ts). That is the same as jco's fallback only where the glue uses it as
// `try { x = WebAssembly.promising(f); } catch (err) { x = f; }`: checked here on the glue the
// pinned jco makes of the sample tools and the type zoo, so a jco upgrade that uses it another
// way fails this test instead of changing what the glue does.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cheapenMissingPromising } from "../src/executor/missing-jspi.js";
import type { transpileCached as TranspileCached } from "../src/loader/transpile-cache.js";

const repo = join(import.meta.dirname, "..", "..");
const COMPONENTS = [
  ...["grammar-checker", "fetcher", "file-reader"].map((tool) => join(repo, "tools", tool, "dist", `${tool}.wasm`)),
  join(repo, "host", "test", "fixtures", "type-zoo", "dist", "type-zoo.wasm"),
];
const FALLBACK = /try \{\s*(\w+) = WebAssembly\.promising\(([^;]+)\);\s*\} catch\s*\(\w+\) \{\s*\1 = \2;\s*\}/g;

describe("the stand-in for WebAssembly.promising", () => {
  it("is used by jco's glue only where its fallback gives the same export", { timeout: 120_000 }, async () => {
    // The built module: it runs jco in a child process started from its own folder.
    const { transpileCached } = (await import(join(repo, "host", "dist", "loader", "transpile-cache.js"))) as { transpileCached: typeof TranspileCached };
    const cache = join(process.env.AIRLOCK_CACHE_DIR!, "transpiled");
    for (const file of COMPONENTS) {
      const bytes = await readFile(file);
      const transpiled = await transpileCached(cache, createHash("sha256").update(bytes).digest("hex"), async () => bytes);
      const glue = await readFile(transpiled.jsFile, "utf8");
      const uses = glue.match(/promising/g)?.length ?? 0;
      const fallbacks = [...glue.matchAll(FALLBACK)].length;
      expect({ file, uses }).toEqual({ file, uses: fallbacks });
    }
  });

  it("hands back the export it is given, and leaves a real one alone", () => {
    const api = WebAssembly as unknown as { promising?: unknown };
    const real = api.promising;
    try {
      delete api.promising;
      cheapenMissingPromising();
      const exported = () => 42;
      expect((api.promising as (f: unknown) => unknown)(exported)).toBe(exported);
      const mine = () => "real";
      api.promising = mine;
      cheapenMissingPromising();
      expect(api.promising).toBe(mine);
    } finally {
      api.promising = real;
    }
  });
});
