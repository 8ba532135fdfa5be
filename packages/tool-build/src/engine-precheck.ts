// Seconds instead of a componentize run: the tool's own files are read for top-level code that
// is certain to fail in the component's engine when the build runs it (engine-errors.ts names the
// same gaps afterwards, for what this cannot see, such as code in node_modules or in functions
// called at top level). Only certain failures count: a miss costs time, a false alarm a build.
import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { traverse, type NodePath, type types as t } from "@babel/core";
import { parseToolSource } from "./parse-source.js";
import { GAPS, type GapName } from "./engine-errors.js";
import { BuildError } from "./errors.js";

const NORMALIZATION_FORMS = new Set(["NFC", "NFD", "NFKC", "NFKD"]);

/** A BuildError for the first top-level construct the engine lacks in `files`, or undefined. */
export async function findTopLevelEngineGap(files: string[], toolDir: string): Promise<BuildError | undefined> {
  for (const file of files.filter((f) => !f.includes("node_modules") && /\.[cm]?[jt]sx?$/.test(f))) {
    const found = await gapIn(file);
    if (!found) continue;
    const gap = GAPS[found.name];
    const where = `${relative(toolDir, file)}:${found.line}:${found.column + 1}`;
    return new BuildError(`${where}: ${gap.construct} is not supported by the component's engine, and this line runs when the build evaluates the module's top level`, gap.hint);
  }
  return undefined;
}

async function gapIn(file: string): Promise<{ name: GapName; line: number; column: number } | undefined> {
  const source = await readFile(file, "utf8");
  if (!/RegExp|normalize|Intl|SharedArrayBuffer/.test(source)) return undefined;
  const ast = await parseToolSource(file, source);
  if (!ast) return undefined;
  let found: { name: GapName; line: number; column: number } | undefined;
  const report = (path: NodePath, name: GapName) => {
    if (found || path.getFunctionParent()) return;
    found = { name, line: path.node.loc?.start.line ?? 0, column: path.node.loc?.start.column ?? 0 };
  };
  const visitCall = (path: NodePath<t.NewExpression | t.CallExpression>) => {
    const { callee, arguments: args } = path.node;
    if (callee.type === "Identifier" && callee.name === "RegExp" && !path.scope.hasBinding("RegExp", true) && hasPropertyEscape(args[0])) report(path, "property-escape");
    if (callee.type === "Identifier" && callee.name === "SharedArrayBuffer" && !path.scope.hasBinding("SharedArrayBuffer", true)) report(path, "shared-array-buffer");
    // Only a string's normalize: a literal receiver, or a normalization form as the argument.
    if (callee.type === "MemberExpression" && callee.property.type === "Identifier" && callee.property.name === "normalize") {
      const form = args[0]?.type === "StringLiteral" && NORMALIZATION_FORMS.has(args[0].value);
      if (form || callee.object.type === "StringLiteral" || callee.object.type === "TemplateLiteral") report(path, "normalize");
    }
  };
  // `true`: only bindings the file declares, not the globals Babel knows.
  traverse(ast, {
    NewExpression: visitCall,
    CallExpression: visitCall,
    MemberExpression(path: NodePath<t.MemberExpression>) {
      if (path.node.object.type === "Identifier" && path.node.object.name === "Intl" && !path.scope.hasBinding("Intl", true)) report(path, "intl");
    },
  });
  return found;
}

function hasPropertyEscape(pattern: t.Node | undefined): boolean {
  if (pattern?.type === "StringLiteral") return /\\[pP]\{/.test(pattern.value);
  if (pattern?.type === "TemplateLiteral") return pattern.quasis.some((q) => /\\[pP]\{/.test(q.value.cooked ?? ""));
  return false;
}
