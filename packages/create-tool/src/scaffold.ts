// Writes tools/<name>/ from the templates: the files common to every tool, then the chosen
// world's WIT, source, test, README, policy and conformance cases, with {{placeholders}} filled
// in file contents and file names, from the tool's name, its function's name and its description.
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { camelCase, invalidDescriptionReason, invalidFunctionReason, invalidNameReason, pascalCase, placeholderDescription, WORLDS, type WorldKind } from "./names.js";

export const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), "..", "templates");

/** A mistake in the request (bad name, folder taken): one line for the user, exit code 1. */
export class ScaffoldError extends Error {
  override name = "ScaffoldError";
}

export interface ScaffoldOptions {
  name: string;
  world: WorldKind;
  /** The workspace root: the tool goes to <root>/tools/<name>. */
  root: string;
  /** The exported function (WIT name); the tool's name by default. */
  function?: string;
  /** One sentence saying what the tool does; a placeholder the conformance kit fails by default. */
  description?: string;
}

export interface Scaffolded {
  dir: string;
  files: string[];
  /** The exported function's WIT name (the MCP tool's name). */
  function: string;
  /** False when the description is the placeholder, which the author must still replace. */
  described: boolean;
}

export async function scaffoldTool(options: ScaffoldOptions): Promise<Scaffolded> {
  const { name, world, root } = options;
  const reason = invalidNameReason(name);
  if (reason) throw new ScaffoldError(reason);
  if (!WORLDS.includes(world)) throw new ScaffoldError(`unknown world "${world}": choose one of ${WORLDS.join(", ")}`);
  const fn = options.function ?? name;
  const functionReason = invalidFunctionReason(fn, world, options.function === undefined);
  if (functionReason) throw new ScaffoldError(functionReason);
  const descriptionReason = options.description === undefined ? undefined : invalidDescriptionReason(options.description);
  if (descriptionReason) throw new ScaffoldError(descriptionReason);
  if (!existsSync(join(root, "pnpm-workspace.yaml"))) {
    throw new ScaffoldError(`${root} is not the Airlock workspace (no pnpm-workspace.yaml): run create-tool from the repository root`);
  }
  const dir = join(root, "tools", name);
  if (existsSync(dir)) throw new ScaffoldError(`tools/${name} already exists: pick another name or remove that folder first`);

  const description = options.description?.trim() ?? placeholderDescription(name);
  const values = templateValues(name, world, fn, description);
  const files: string[] = [];
  for (const source of ["common", world]) {
    for (const file of await listFiles(join(TEMPLATES, source))) {
      const target = join(dir, fill(file, values).replace(/(^|\/)gitignore$/, "$1.gitignore"));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, fill(await readFile(join(TEMPLATES, source, file), "utf8"), values));
      files.push(relative(root, target));
    }
  }
  // The README shows the world as it is: fill it in once the WIT is written.
  const readme = join(dir, "README.md");
  const wit = await readFile(join(dir, "wit", "world.wit"), "utf8");
  const page = join(dir, "conformance", "www", "index.html");
  const pageLength = existsSync(page) ? String((await readFile(page, "utf8")).length) : "0";
  await writeFile(readme, fill(await readFile(readme, "utf8"), { wit: wit.trimEnd(), pageLength }));
  await writeFirstReleaseChangeset(root, name);
  return { dir, files: files.sort(), function: fn, described: options.description !== undefined };
}

/**
 * The placeholders: `function` (WIT), `camelFunction` (its JavaScript export), `pascalFunction`
 * (prefix of the error class), `description` as given, `sentence` (ending in a full stop, for
 * the README and the WIT doc comment) and `descriptionJson` (quoted, for JSON and YAML).
 */
function templateValues(name: string, world: WorldKind, fn: string, description: string): Record<string, string> {
  const sentence = /[.!?]$/.test(description) ? description : `${description}.`;
  return {
    name,
    world,
    function: fn,
    camelFunction: camelCase(fn),
    pascalFunction: pascalCase(fn),
    description,
    sentence,
    descriptionJson: JSON.stringify(description),
  };
}

/** `{{name}}` -> the value; unknown placeholders are left alone (`{tool}` belongs to the kit). */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, path)));
    else out.push(path);
  }
  return out;
}

async function writeFirstReleaseChangeset(root: string, name: string): Promise<void> {
  const dir = join(root, ".changeset");
  if (!existsSync(dir)) return;
  await writeFile(join(dir, `new-tool-${name}.md`), `---\n"@airlock/tool-${name}": minor\n---\n\nFirst release of the ${name} tool.\n`);
}
