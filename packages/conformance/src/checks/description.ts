// The `description` check: a tool folder says what the tool does. A scaffold made without
// `create-tool --description` says "TODO: ..." in package.json, README.md, policy.yaml and the
// WIT doc comment that becomes the MCP tool's description; publishing it would show that to
// every user and every model, so the kit fails it, naming each file and line to change.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { check, type Check } from "../check.js";

/** A placeholder: text that starts with TODO (the scaffold's, or an author's own). */
const PLACEHOLDER = /^\s*TODO\b/;

export const DESCRIPTION = "description";

/** Whether the check applies: only a tool folder has a package.json, a README and a WIT to read. */
export function hasToolFolder(dir: string): boolean {
  return existsSync(join(dir, "package.json"));
}

export function descriptionCheck(dir: string): Check {
  const places: string[] = [];
  let placeholder: string | undefined;
  const found = (where: string, text: string) => {
    placeholder ??= text.trim();
    places.push(where);
  };
  const description = manifestDescription(dir);
  if (PLACEHOLDER.test(description)) found('package.json "description"', description);
  eachLine(dir, "README.md", (line, where) => {
    const text = line.replace(/^\s*\/\/\/\s*/, ""); // the README's copy of the WIT too
    if (PLACEHOLDER.test(text)) found(where, text);
  });
  for (const file of witFiles(dir)) {
    eachLine(dir, `wit/${file}`, (line, where) => {
      const doc = /^\s*\/\/\/(.*)$/.exec(line)?.[1];
      if (doc !== undefined && PLACEHOLDER.test(doc)) found(`${where} (a doc comment: the MCP description of what follows it)`, doc);
    });
  }
  eachLine(dir, "policy.yaml", (line, where) => {
    const value = /^description:\s*["']?(.*?)["']?\s*$/.exec(line)?.[1];
    if (value !== undefined && PLACEHOLDER.test(value)) found(`${where} (description)`, value);
  });

  const problems: string[] = [];
  if (placeholder) problems.push(`a placeholder, ${JSON.stringify(placeholder)}, is still in ${places.join(", ")}`);
  if (!description.trim()) problems.push('package.json has no "description"');
  if (problems.length === 0) return check(DESCRIPTION, DESCRIPTION, true, `package.json says ${JSON.stringify(description)}; no placeholder left in README.md, wit/ or policy.yaml`);
  return check(
    DESCRIPTION,
    DESCRIPTION,
    false,
    `${problems.join("; ")}: write there one sentence saying what the tool does (e.g. "Counts the words of a text"), as users and MCP clients will read it`,
  );
}

function manifestDescription(dir: string): string {
  try {
    const { description } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { description?: unknown };
    return typeof description === "string" ? description : "";
  } catch {
    return ""; // an unreadable package.json is the build's to report; here it only has no description
  }
}

function witFiles(dir: string): string[] {
  const witDir = join(dir, "wit");
  return existsSync(witDir)
    ? readdirSync(witDir)
        .filter((f) => f.endsWith(".wit"))
        .sort()
    : [];
}

/** Calls `visit` with each line of `file` (relative to `dir`) and its `file:line`, if the file exists. */
function eachLine(dir: string, file: string, visit: (line: string, where: string) => void): void {
  const path = join(dir, file);
  if (!existsSync(path)) return;
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((line, i) => visit(line, `${file}:${i + 1}`));
}
