// create-tool <name> --world pure|files|http [--no-install]: scaffolds tools/<name> in the
// workspace and links it with pnpm install.
import { spawnSync } from "node:child_process";
import { relative } from "node:path";
import { WORLDS, type WorldKind } from "./names.js";
import { ScaffoldError, scaffoldTool } from "./scaffold.js";
import { findWorkspaceRoot } from "./workspace.js";

const USAGE = `usage: pnpm create-tool <name> --world ${WORLDS.join("|")} [--no-install]
  Scaffolds tools/<name>: WIT world, TypeScript source typed from it, unit test, conformance
  cases, README and sample policy; then runs pnpm install so the workspace links it.`;

function usage(message?: string): never {
  if (message) console.error(`create-tool: ${message}`);
  console.error(USAGE);
  process.exit(message ? 2 : 0);
}

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) usage();
let world: string | undefined;
let install = true;
const positional: string[] = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === "--world") world = args[++i];
  else if (arg.startsWith("--world=")) world = arg.slice("--world=".length);
  else if (arg === "--no-install") install = false;
  else if (arg.startsWith("-")) usage(`unknown option ${arg}`);
  else positional.push(arg);
}
if (positional.length !== 1) usage(positional.length === 0 ? "name the tool, e.g. pnpm create-tool word-count --world pure" : `one name only, got ${positional.join(" ")}`);
if (!world) usage(`choose the capability world with --world ${WORLDS.join("|")}`);
if (!(WORLDS as readonly string[]).includes(world)) usage(`unknown world "${world}": choose one of ${WORLDS.join(", ")}`);

const name = positional[0]!;
const root = findWorkspaceRoot(process.cwd());
try {
  const started = performance.now();
  const { dir, files } = await scaffoldTool({ name, world: world as WorldKind, root });
  const where = relative(process.cwd(), dir) || dir;
  console.log(`created ${where} (${world} world, ${files.length} files) in ${Math.round(performance.now() - started)} ms`);
  const next = [`pnpm --filter @airlock/tool-${name} build`, `pnpm --filter @airlock/tool-${name} test`];
  if (install) {
    const result = spawnSync("pnpm", ["install", "--prefer-offline", "--reporter=silent"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
    if (result.status !== 0) next.unshift("pnpm install");
    else console.log("linked it into the workspace (pnpm install)");
  } else {
    next.unshift("pnpm install");
  }
  console.log(`next:\n${next.map((c) => `  ${c}`).join("\n")}\nthen see CONTRIBUTING.md (test, conformance, serve, publish)`);
} catch (error) {
  if (error instanceof ScaffoldError) {
    console.error(`create-tool: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
