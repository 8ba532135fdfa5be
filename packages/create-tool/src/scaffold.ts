// Writes tools/<name>/ from the templates: the files common to every tool, then the chosen
// world's WIT, source, test, README, policy and conformance cases, with {{placeholders}} filled.
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { camelCase, invalidNameReason, WORLDS, type WorldKind } from "./names.js";

export const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), "..", "templates");

const DESCRIPTIONS: Record<WorldKind, string> = {
  pure: "Greets people by name: a pure WebAssembly component that needs no grants",
  files: "Counts the lines, words and characters of text files in granted directories, as a WebAssembly component",
  http: "Fetches web pages from granted hosts and returns their titles, as a WebAssembly component",
};

/** A mistake in the request (bad name, folder taken): one line for the user, exit code 1. */
export class ScaffoldError extends Error {
  override name = "ScaffoldError";
}

export interface ScaffoldOptions {
  name: string;
  world: WorldKind;
  /** The workspace root: the tool goes to <root>/tools/<name>. */
  root: string;
}

export interface Scaffolded {
  dir: string;
  files: string[];
}

export async function scaffoldTool({ name, world, root }: ScaffoldOptions): Promise<Scaffolded> {
  const reason = invalidNameReason(name);
  if (reason) throw new ScaffoldError(reason);
  if (!WORLDS.includes(world)) throw new ScaffoldError(`unknown world "${world}": choose one of ${WORLDS.join(", ")}`);
  if (!existsSync(join(root, "pnpm-workspace.yaml"))) {
    throw new ScaffoldError(`${root} is not the Airlock workspace (no pnpm-workspace.yaml): run create-tool from the repository root`);
  }
  const dir = join(root, "tools", name);
  if (existsSync(dir)) throw new ScaffoldError(`tools/${name} already exists: pick another name or remove that folder first`);

  const values: Record<string, string> = { name, camelName: camelCase(name), world, description: DESCRIPTIONS[world] };
  const files: string[] = [];
  for (const source of ["common", world]) {
    for (const file of await listFiles(join(TEMPLATES, source))) {
      const target = join(dir, file.replace(/(^|\/)gitignore$/, "$1.gitignore"));
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
  return { dir, files: files.sort() };
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
