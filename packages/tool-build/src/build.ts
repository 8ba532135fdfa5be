// The whole build of one tool: bundle -> componentize -> embed docs -> dist/<name>.wasm.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  AIRLOCK_DOCS_SECTION,
  PACKAGE_DOCS_SECTION,
  airlockDocsFor,
  encodePackageDocs,
  packageDocsFor,
  replaceCustomSections,
} from "@airlock/wit-parser";
import { bundle } from "./bundle.js";
import { componentizeBundle } from "./componentize.js";
import { readToolConfig } from "./config.js";
import { layOutWitTree, readToolWorld } from "./wit-tree.js";

export interface BuildResult {
  outFile: string;
  bytes: number;
  milliseconds: number;
  world: string;
  capabilities: string[];
}

export async function buildTool(toolDir: string): Promise<BuildResult> {
  const started = performance.now();
  const config = await readToolConfig(toolDir);
  const { pkg, world, capabilities } = await readToolWorld(config.witDir, config.world);
  const work = await mkdtemp(join(tmpdir(), `airlock-build-${config.name}-`));
  try {
    const bundled = join(work, "bundle.js");
    const witPath = join(work, "wit");
    await bundle(config, bundled);
    await layOutWitTree(config.witDir, witPath);
    const component = await componentizeBundle({ sourcePath: bundled, witPath, worldName: world.name, capabilities });
    const withDocs = replaceCustomSections(component, [
      { name: PACKAGE_DOCS_SECTION, payload: encodePackageDocs(packageDocsFor(world)) },
      { name: AIRLOCK_DOCS_SECTION, payload: new TextEncoder().encode(JSON.stringify(airlockDocsFor(pkg, world))) },
    ]);
    await mkdir(dirname(config.outFile), { recursive: true });
    await writeFile(config.outFile, withDocs);
    return {
      outFile: config.outFile,
      bytes: withDocs.length,
      milliseconds: performance.now() - started,
      world: world.name,
      capabilities,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
