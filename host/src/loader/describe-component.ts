// What a component offers, read from the component itself: wasm-tools (through jco) decodes its
// type information into WIT, with doc comments from the `package-docs` section, and
// @airlock/wit-parser resolves it. Interfaces from other packages are renamed into the
// component's own package first, so that wasm-tools prints their types too. Parameter docs and
// interface function docs come from the `airlock-docs` section. Cached by sha256.
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  AIRLOCK_DOCS_SECTION,
  PACKAGE_DOCS_SECTION,
  decodeAirlockDocs,
  exportedFunctions,
  importedInterfaces,
  parseWit,
  readCustomSections,
  removeCustomSections,
  withPrintableNames,
  type AirlockDocs,
  type ExportedFunction,
} from "@airlock/wit-parser";
import { writeAtomically } from "../atomic-files.js";
import type { Offered } from "../tools/provided-resources.js";
import type { ProvidedTool } from "../tools/provided-tools.js";
import { componentWitInProcess } from "./jco-process.js";

/** Bump when the description format or the parser's output changes. */
const DESCRIPTION_FORMAT = "v2";
const ROOT_PREFIX = "root:component/";

export interface ComponentDescription {
  wit: string;
  functions: ExportedFunction[];
  imports: string[];
  docs: AirlockDocs["functions"];
  /** Set when the component's package-docs section could not be used. */
  docsWarning?: string;
  /** The tools a provider component declares (filled in by the host, which has to run it). */
  provided?: ProvidedTool[];
  /** The resources and prompts it offers (filled in the same way). */
  offered?: Offered;
}

export async function describeCached(cacheRoot: string, sha256: string, bytes: () => Promise<Uint8Array>): Promise<ComponentDescription> {
  const file = join(cacheRoot, `${sha256}-description-${DESCRIPTION_FORMAT}.json`);
  try {
    return JSON.parse(await readFile(file, "utf8")) as ComponentDescription;
  } catch {
    const description = await describeComponent(await bytes());
    await mkdir(cacheRoot, { recursive: true });
    await writeAtomically(file, JSON.stringify(description));
    return description;
  }
}

export async function describeComponent(bytes: Uint8Array): Promise<ComponentDescription> {
  const componentWit = componentWitInProcess;
  const sections = readCustomSections(bytes);
  const printable = withPrintableNames(bytes);
  let wit: string;
  let docsWarning: string | undefined;
  try {
    wit = await componentWit(printable.bytes);
  } catch (error) {
    // A package-docs section that does not match the component makes wasm-tools refuse the
    // whole component: describe it without the docs rather than not at all.
    if (!sections.some((s) => s.name === PACKAGE_DOCS_SECTION)) throw error;
    wit = await componentWit(removeCustomSections(printable.bytes, [PACKAGE_DOCS_SECTION]));
    docsWarning = `ignored the package-docs section: ${(error as Error).message}`;
  }
  const original = (name: string) => printable.renamed.get(name.startsWith(ROOT_PREFIX) ? name.slice(ROOT_PREFIX.length) : name) ?? name;
  const packages = parseWit(wit, "<component>");
  const functions = exportedFunctions(packages)
    .filter((fn) => !isQuickJsInit(fn))
    .map((fn) => (fn.interfaceName ? { ...fn, interfaceName: original(fn.interfaceName) } : fn));
  const docsSection = sections.find((s) => s.name === AIRLOCK_DOCS_SECTION);
  const description: ComponentDescription = {
    wit,
    functions,
    imports: importedInterfaces(packages).map(original),
    docs: (docsSection && decodeAirlockDocs(docsSection.payload)?.functions) ?? {},
  };
  if (docsWarning) description.docsWarning = docsWarning;
  return description;
}

/**
 * componentize-qjs adds an export that its runtime calls once, at build time, to load the
 * script: `init: func(shim: string, script: string, entry-path: option<string>, disable-gc: bool)`.
 * It is no tool and must never be offered as one.
 */
function isQuickJsInit(fn: ExportedFunction): boolean {
  return !fn.interfaceName && fn.name === "init" && fn.params.map((p) => p.name).join(",") === "shim,script,entry-path,disable-gc";
}
