// A `pure` tool imports nothing: no randomness, no clock. The engine still answers Math.random(),
// crypto.randomUUID() and Date.now(), but from the snapshot the build takes, so every call of
// every instance gets the same "random" values and the build's time: an id or token made that
// way is predictable. performance.now() traps. The build warns where the tool's own code uses them.
import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { traverse, type NodePath, type types as t } from "@babel/core";
import { parseToolSource } from "./parse-source.js";

const USES: { object: string; property: string; what: string }[] = [
  { object: "Math", property: "random", what: "Math.random() returns the same sequence in every call" },
  { object: "crypto", property: "randomUUID", what: "crypto.randomUUID() returns the same ids in every call" },
  { object: "crypto", property: "getRandomValues", what: "crypto.getRandomValues() returns the same bytes in every call" },
  { object: "Date", property: "now", what: "Date.now() is the time of the build in every call" },
  { object: "performance", property: "now", what: "performance.now() makes the component trap" },
];
const ADVICE = "a pure tool has no randomness and no clock: take the value as an argument, or target the files, http or env world, which have both";

/** One warning per use of randomness or the clock in a pure tool's own files. */
export async function pureWorldWarnings(files: string[], toolDir: string): Promise<string[]> {
  const warnings: string[] = [];
  for (const file of files.filter((f) => !f.includes("node_modules") && /\.[cm]?[jt]sx?$/.test(f))) {
    const source = await readFile(file, "utf8");
    if (!/random|getRandomValues|now\b|new Date/.test(source)) continue;
    const ast = await parseToolSource(file, source);
    if (!ast) continue;
    const where = (node: t.Node) => `${relative(toolDir, file)}:${node.loc?.start.line ?? 0}:${(node.loc?.start.column ?? 0) + 1}`;
    traverse(ast, {
      MemberExpression(path: NodePath<t.MemberExpression>) {
        const { object, property } = path.node;
        if (object.type !== "Identifier" || property.type !== "Identifier" || path.scope.hasBinding(object.name, true)) return;
        const use = USES.find((u) => u.object === object.name && u.property === property.name);
        if (use) warnings.push(`${where(path.node)}: ${use.what}: ${ADVICE}`);
      },
      NewExpression(path: NodePath<t.NewExpression>) {
        const { callee, arguments: args } = path.node;
        if (callee.type === "Identifier" && callee.name === "Date" && args.length === 0 && !path.scope.hasBinding("Date", true)) {
          warnings.push(`${where(path.node)}: new Date() is the time of the build in every call: ${ADVICE}`);
        }
      },
    });
  }
  return warnings;
}
