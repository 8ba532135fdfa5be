// The whole build of one tool: WIT -> types -> bundle -> exports check -> engine gaps -> tsc -> wrapped bundle ->
// componentize (or its cached output) -> docs, version and source-map sections -> dist/<name>.wasm. Each step fails with a BuildError that says
// where and what to fix, so the slow componentize step only runs on a tool that can build.
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { AIRLOCK_DOCS_SECTION, PACKAGE_DOCS_SECTION, airlockDocsFor, encodePackageDocs, packageDocsFor, replaceCustomSections } from "@airlock/wit-parser";
import { bundle } from "./bundle.js";
import { componentizeBundle, disabledFeatures } from "./componentize.js";
import { cacheDirFor, cacheKey, cachedComponent, storeComponent } from "./componentize-cache.js";
import { bundleWrapped, SOURCE_MAP_SECTION, toolSourceMap, writeBuildWorld } from "./diagnostics.js";
import { readToolConfig, type ToolConfig } from "./config.js";
import { findTopLevelEngineGap } from "./engine-precheck.js";
import { pureWorldWarnings } from "./pure-world-warnings.js";
import { checkExports } from "./exports-check.js";
import { generateWorldTypes } from "./generate-types.js";
import { typecheck } from "./typecheck.js";
import { VERSION_SECTION } from "./version-section.js";
import { layOutWitTree, readToolWorld } from "./wit-tree.js";

export interface BuildResult {
  outFile: string;
  bytes: number;
  milliseconds: number;
  world: string;
  capabilities: string[];
  version: string;
  /** What builds but will not behave as in Node (randomness or the clock in a pure tool). */
  warnings: string[];
  /** Whether componentize-js was skipped: nothing it reads had changed since an earlier build. */
  cached: boolean;
}

export interface BuildOptions {
  /** Run tsc over the tool when it has a tsconfig.json (default true). */
  typecheck?: boolean;
  /** Reuse the component of an earlier build with the same bundle and WIT (default true; componentize-cache.ts). */
  cache?: boolean;
}

export async function buildTool(toolDir: string, options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const config = await readToolConfig(toolDir);
  const { pkg, world, capabilities } = await readToolWorld(config.witDir, config.world);
  const work = await mkdtemp(join(tmpdir(), `airlock-build-${config.name}-`));
  const entryLabel = relative(config.dir, config.entry);
  try {
    const bundled = join(work, "bundle.js");
    const witPath = join(work, "wit");
    await layOutWitTree(config.witDir, witPath);
    if (config.typesDir) await generateWorldTypes({ witPath, pkg, world, typesDir: config.typesDir, entry: config.entry, toolDir: config.dir });
    const { exports: moduleExports, inputs } = await bundle(config, bundled);
    await checkExports({ world, witFiles: await witFiles(config), moduleExports, entryLabel, witLabel: (f) => relative(config.dir, f) });
    const gap = await findTopLevelEngineGap(inputs, config.dir);
    if (gap) throw gap;
    const warnings = capabilities.every((c) => c === "pure") ? await pureWorldWarnings(inputs, config.dir) : [];
    if (options.typecheck !== false) await typecheck(config.dir, { entryLabel, ...(config.typesDir ? { generatedDir: config.typesDir } : {}) });
    // Exceptions the tool does not catch reach its author in their own words (diagnostics.ts):
    // the exports are wrapped, and the world gains the import the wrapper reports through.
    const wrapped = pkg.name !== undefined;
    if (wrapped) await bundleWrapped(config, bundled, moduleExports);
    const worldName = wrapped ? await writeBuildWorld(witPath, pkg.name!, world.name) : world.name;
    const sourceMap = wrapped ? await toolSourceMap(config, bundled) : undefined;
    const cacheDir = cacheDirFor(config.dir);
    const key = options.cache === false ? undefined : await cacheKey({ bundlePath: bundled, witPath, worldName, disabledFeatures: disabledFeatures(capabilities) });
    const cached = key ? await cachedComponent(cacheDir, key) : undefined;
    const component = cached ?? (await componentizeBundle({ sourcePath: bundled, witPath, worldName, capabilities, entryLabel, ...(sourceMap && { sourceMap: new TextDecoder().decode(sourceMap) }) }));
    if (key && !cached) await storeComponent(cacheDir, key, component);
    const withSections = replaceCustomSections(component, [
      { name: PACKAGE_DOCS_SECTION, payload: encodePackageDocs(packageDocsFor(world)) },
      { name: AIRLOCK_DOCS_SECTION, payload: new TextEncoder().encode(JSON.stringify(airlockDocsFor(pkg, world))) },
      { name: VERSION_SECTION, payload: new TextEncoder().encode(config.version) },
      ...(sourceMap ? [{ name: SOURCE_MAP_SECTION, payload: sourceMap }] : []),
    ]);
    await mkdir(dirname(config.outFile), { recursive: true });
    await writeFile(config.outFile, withSections);
    return {
      outFile: config.outFile,
      bytes: withSections.length,
      milliseconds: performance.now() - started,
      world: world.name,
      capabilities,
      version: config.version,
      warnings,
      cached: cached !== undefined,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Only the types step: for `typecheck` scripts and editors, before the first build. */
export async function generateTypes(toolDir: string): Promise<string[]> {
  const config = await readToolConfig(toolDir);
  if (!config.typesDir) return [];
  const { pkg, world } = await readToolWorld(config.witDir, config.world);
  const work = await mkdtemp(join(tmpdir(), `airlock-types-${config.name}-`));
  try {
    await layOutWitTree(config.witDir, join(work, "wit"));
    return await generateWorldTypes({ witPath: join(work, "wit"), pkg, world, typesDir: config.typesDir, entry: config.entry, toolDir: config.dir });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function witFiles(config: ToolConfig): Promise<string[]> {
  return (await readdir(config.witDir)).filter((f) => f.endsWith(".wit")).map((f) => join(config.witDir, f));
}
