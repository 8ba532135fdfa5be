// create-tool <name> --world pure|files|http [--description TEXT] [--function NAME] [--no-install]:
// scaffolds tools/<name> in the workspace and links it with pnpm install.
import { spawnSync } from "node:child_process";
import { relative } from "node:path";
import { WORLDS, type WorldKind } from "./names.js";
import { ScaffoldError, scaffoldTool } from "./scaffold.js";
import { findWorkspaceRoot } from "./workspace.js";

const USAGE = `usage: pnpm create-tool <name> --world ${WORLDS.join("|")} [--description TEXT] [--function NAME] [--no-install]
  Scaffolds tools/<name>: WIT world, TypeScript source typed from it, unit test, conformance
  cases, README and sample policy; then runs pnpm install so the workspace links it.
  --description TEXT  one sentence saying what the tool does, e.g. "Counts the words of a text":
                      package.json, README, policy and the function's WIT doc comment (the MCP
                      tool's description). Without it they say TODO, and the conformance kit fails
                      until you replace it.
  --function NAME     the exported function: its WIT name is the MCP tool's name, its camelCase
                      form the export of src/component.ts, and src/NAME.ts holds its logic.
                      Default: the tool's name (create-tool word-count exports word-count).
  --no-install        do not run pnpm install; print the command instead.`;

const EXAMPLES: Record<string, string> = { world: "pure", description: '"Counts the words of a text"', function: "count-words" };

function usage(message?: string): never {
  if (message) console.error(`create-tool: ${message}`);
  console.error(USAGE);
  process.exit(message ? 2 : 0);
}

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) usage();
const valued: Record<string, string | undefined> = {};
let install = true;
const positional: string[] = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  const option = /^--(world|description|function)(?:=(.*))?$/s.exec(arg);
  if (option) {
    const value = option[2] ?? args[++i];
    if (value === undefined || (option[2] === undefined && value.startsWith("--"))) usage(`--${option[1]} needs a value, e.g. --${option[1]} ${EXAMPLES[option[1]!]}`);
    valued[option[1]!] = value;
  } else if (arg === "--no-install") install = false;
  else if (arg.startsWith("-")) usage(`unknown option ${arg}`);
  else positional.push(arg);
}
if (positional.length !== 1) usage(positional.length === 0 ? "name the tool, e.g. pnpm create-tool word-count --world pure" : `one name only, got ${positional.join(" ")}`);
const { world, description, function: fn } = valued;
if (!world) usage(`choose the capability world with --world ${WORLDS.join("|")}`);
if (!(WORLDS as readonly string[]).includes(world)) usage(`unknown world "${world}": choose one of ${WORLDS.join(", ")}`);

const name = positional[0]!;
const root = findWorkspaceRoot(process.cwd());
try {
  const started = performance.now();
  const made = await scaffoldTool({ name, world: world as WorldKind, root, ...(fn !== undefined && { function: fn }), ...(description !== undefined && { description }) });
  const where = relative(process.cwd(), made.dir) || made.dir;
  console.log(`created ${where} (${world} world, ${made.files.length} files) in ${Math.round(performance.now() - started)} ms`);
  console.log(`its function: ${made.function} (the MCP tool), sample logic in ${where}/src/${made.function}.ts`);
  if (!made.described) {
    console.log(
      `no --description: package.json, README.md, policy.yaml and wit/world.wit say "TODO: ...": replace it with one sentence saying what ${name} does (the conformance kit fails until then)`,
    );
  }
  const next = [`pnpm --filter @airlock/tool-${name} build`, `pnpm --filter @airlock/tool-${name} test`];
  if (install) {
    // A new workspace package always changes the lockfile: a frozen lockfile (pnpm's default
    // when CI is set) would refuse the install. Only the new package and what it depends on are
    // installed (`--filter <name>...`): the lockfile comes out the same as a whole install's,
    // in ~8 s instead of ~11 s on 2 cores.
    const filter = `@airlock/tool-${name}...`;
    const result = spawnSync("pnpm", ["install", "--filter", filter, "--prefer-offline", "--no-frozen-lockfile", "--reporter=silent"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
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
