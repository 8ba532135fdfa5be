// What a component offers, read from the component itself: wasm-tools decodes its type
// information into WIT text (with doc comments from the `package-docs` section), which we parse
// and resolve. Parameter docs come from the `airlock-docs` section. Cached by sha256.
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  PACKAGE_DOCS_SECTION,
  PARAM_DOCS_SECTION,
  decodeParamDocs,
  exportedFunctions,
  importedInterfaces,
  parseWit,
  readCustomSections,
  removeCustomSections,
  type ExportedFunction,
  type ParamDocs,
} from "@airlock/wit-parser";
import { writeAtomically } from "../store/component-store.js";

/** Bump when the description format or the parser's output changes. */
const DESCRIPTION_FORMAT = "v1";

export interface ComponentDescription {
  wit: string;
  functions: ExportedFunction[];
  imports: string[];
  paramDocs: ParamDocs["functions"];
  /** Set when the component's package-docs section could not be used. */
  docsWarning?: string;
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
  // Loaded only when a description is not cached: it costs ~50 ms of start-up.
  const { componentWit } = await import("@bytecodealliance/jco-transpile/wasm-tools");
  const sections = readCustomSections(bytes);
  let wit: string;
  let docsWarning: string | undefined;
  try {
    wit = await componentWit(bytes);
  } catch (error) {
    // A package-docs section that does not match the component makes wasm-tools refuse the
    // whole component: describe it without the docs rather than not at all.
    if (!sections.some((s) => s.name === PACKAGE_DOCS_SECTION)) throw error;
    wit = await componentWit(removeCustomSections(bytes, [PACKAGE_DOCS_SECTION]));
    docsWarning = `ignored the package-docs section: ${(error as Error).message}`;
  }
  const packages = parseWit(wit, "<component>");
  const paramSection = sections.find((s) => s.name === PARAM_DOCS_SECTION);
  const description: ComponentDescription = {
    wit,
    functions: exportedFunctions(packages),
    imports: importedInterfaces(packages),
    paramDocs: (paramSection && decodeParamDocs(paramSection.payload)?.functions) ?? {},
  };
  if (docsWarning) description.docsWarning = docsWarning;
  return description;
}
