#!/usr/bin/env node
// The two commands of the README, on a machine that has only Node and npm:
//   node scripts/run.mjs start   install, build, load the sample tools, link `airlock`, serve MCP
//                                over Streamable HTTP on 127.0.0.1 (stdio clients run `airlock serve`)
//   node scripts/run.mjs test    install, build, run every test
// pnpm is installed into .tools/ with npm (corepack's signature check fails on these machines).
// `npm start` serves over HTTP, not stdio: npm prints its script banner on stdout, which would
// corrupt a stdio protocol stream. Progress goes to stderr.
import { spawnSync, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { delimiter, join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { cliEntry, linkCli } from "./link-cli.mjs";

const PNPM_VERSION = "10.34.8";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const toolsDir = join(root, ".tools");
const binDir = join(toolsDir, "node_modules", ".bin");
const env = {
  ...process.env,
  PATH: [binDir, join(root, "node_modules", ".bin"), process.env.PATH].join(delimiter),
  TURBO_TELEMETRY_DISABLED: "1",
  TURBO_NO_UPDATE_NOTIFIER: "1",
  DO_NOT_TRACK: "1",
};

function run(command, args, { quietStdout = false } = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    env,
    stdio: ["ignore", quietStdout ? process.stderr : "inherit", "inherit"],
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    console.error(`airlock: \`${command} ${args.join(" ")}\` failed with exit code ${result.status}`);
    process.exit(result.status ?? 1);
  }
}

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

/** One phase of the set-up, announced on stderr with the time it took: the first run is long. */
function phase(what, work) {
  const phaseStarted = performance.now();
  console.error(`airlock: ${what}...`);
  work();
  console.error(`airlock: ${what}: done in ${((performance.now() - phaseStarted) / 1000).toFixed(0)} s (${elapsed()} in all)`);
}

function ensurePnpm(quietStdout) {
  if (existsSync(join(binDir, "pnpm"))) return;
  phase(`installing pnpm ${PNPM_VERSION} into .tools/`, () => run("npm", ["install", "--loglevel=warn", "--no-audit", "--no-fund", "--prefix", toolsDir, `pnpm@${PNPM_VERSION}`], { quietStdout }));
}

function installAndBuild(quietStdout, tasks = ["build"]) {
  ensurePnpm(quietStdout);
  phase("installing dependencies", () => run("pnpm", ["install", "--frozen-lockfile", "--reporter=append-only"], { quietStdout }));
  // The output of the builds that run (a tool's build says its time; errors show in full); a
  // cached build prints one line.
  phase("building the workspace (minutes the first time on 2 cores, seconds once cached)", () => run("pnpm", ["exec", "turbo", "run", ...tasks, "--output-logs=new-only"], { quietStdout }));
}

function sampleComponents() {
  const toolsRoot = join(root, "tools");
  return readdirSync(toolsRoot)
    .map((name) => join(toolsRoot, name, "dist", `${name}.wasm`))
    .filter((file) => existsSync(file));
}

const [command, ...rest] = process.argv.slice(2);
const cli = join(root, "host", "dist", "cli.bundle.js");

const DEFAULT_LISTEN = "127.0.0.1:7331";

if (command === "start") {
  installAndBuild(true);
  phase("loading the sample tools into the store", () => {
    for (const file of sampleComponents()) run(process.execPath, [cli, "load", file, "--quiet"], { quietStdout: true });
  });
  const linked = linkCli();
  console.error(
    "linked" in linked
      ? `airlock: the airlock command is ${linked.linked}${linked.replaced ? ` (it pointed to ${linked.replaced})` : ""}: try airlock list`
      : `airlock: the airlock command was not linked (${linked.skipped}): run it as node ${cliEntry} (e.g. node ${cliEntry} list)`,
  );
  const serveArgs = rest.includes("--http") ? rest : ["--http", DEFAULT_LISTEN, ...rest];
  console.error(`airlock: starting the server (${elapsed()} since npm start); another address: npm start -- --http 127.0.0.1:PORT; stdio clients run: airlock serve`);
  // glibc's allocator tuned as the container image does (see "Memory" in host/README.md).
  const serverEnv = { MALLOC_ARENA_MAX: "2", MALLOC_MMAP_THRESHOLD_: "131072", ...env };
  const server = spawn(process.execPath, [cli, "serve", ...serveArgs], { cwd: root, env: serverEnv, stdio: ["ignore", "inherit", "inherit"] });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
  server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else if (command === "test") {
  // The test fixtures are built with the workspace, where turbo runs builds side by side (the
  // tests themselves run one package at a time).
  installAndBuild(false, ["build", "build:fixtures"]);
  // One code style, checked before anything slow: `pnpm format` rewrites the files it names.
  phase("checking the code format (pnpm format fixes it)", () => run("pnpm", ["run", "--silent", "format:check"]));
  run("pnpm", ["exec", "turbo", "run", "typecheck", "lint", ...rest]);
  // One package's tests at a time: the end-to-end tests keep both cores busy (two at a time took
  // as long in all: 18 min either way, measured again with the fleet and console tests).
  run("pnpm", ["exec", "turbo", "run", "test", "--concurrency=1", ...rest]);
} else {
  console.error("usage: node scripts/run.mjs start|test [args...]");
  process.exit(2);
}
