// A throwaway copy of the workspace for end-to-end tests: sources and built dist/ folders are
// copied (not node_modules, .git, caches, test fixtures or built tools), .tools/ is linked, and
// `pnpm install --offline` links node_modules from pnpm's store (~10 s).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

export const REPO = join(import.meta.dirname, "..", "..", "..", "..");

export interface CommandResult {
  code: number;
  output: string;
}

/** The environment of a user's shell: no variables from the pnpm/vitest run of this test. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|INIT_CWD$|VITEST|TURBO_|NODE_OPTIONS$|PNPM_)/i.test(key)) continue;
    env[key] = value;
  }
  env.PATH = [join(REPO, ".tools", "node_modules", ".bin"), process.env.PATH].join(delimiter);
  return { ...env, CI: "1", TURBO_TELEMETRY_DISABLED: "1", ...extra };
}

/** Runs one shell command line with bash; resolves with its exit code and combined output. */
export function sh(command: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 300_000): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", command], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

export interface WorkspaceCopy {
  root: string;
  cleanup(): Promise<void>;
}

export async function copyWorkspace(): Promise<WorkspaceCopy> {
  const root = await mkdtemp(join(tmpdir(), "airlock-workspace-"));
  const excludes = ["./.git", "./.turbo", "./.tools", "./host/test/fixtures", "./tools/*/dist", "./tools/*/src/generated", "node_modules", ".turbo"];
  const tar = `tar -C ${JSON.stringify(REPO)} ${excludes.map((e) => `--exclude='${e}'`).join(" ")} -cf - . | tar -C ${JSON.stringify(root)} -xf -`;
  const copied = await sh(tar, REPO, cleanEnv());
  if (copied.code !== 0) throw new Error(`copying the workspace failed:\n${copied.output}`);
  if (existsSync(join(REPO, ".tools"))) await symlink(join(REPO, ".tools"), join(root, ".tools"));
  // changesets compares with the main branch: the copy is a repository of its own, on main.
  const git = "git init -q -b main && git add -A && git -c user.name=test -c user.email=test@localhost commit -q -m copy";
  const committed = await sh(git, root, cleanEnv());
  if (committed.code !== 0) throw new Error(`git init in the copy failed:\n${committed.output}`);
  const installed = await sh("pnpm install --offline --reporter=append-only", root, cleanEnv());
  if (installed.code !== 0) throw new Error(`pnpm install --offline in the copy failed:\n${installed.output}`);
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** The ```sh blocks of a Markdown section (from its `## ` heading to the next), by `### ` step. */
export function shellSteps(markdown: string, section: string): { step: string; commands: string[] }[] {
  const start = markdown.indexOf(`\n## ${section}`);
  if (start === -1) throw new Error(`no section "## ${section}"`);
  const end = markdown.indexOf("\n## ", start + 1);
  const text = markdown.slice(start, end === -1 ? undefined : end);
  const steps: { step: string; commands: string[] }[] = [];
  let step = section;
  let inShell = false;
  let inOther = false;
  for (const line of text.split("\n")) {
    if (!inShell && !inOther && line.startsWith("### ")) step = line.slice(4).trim();
    else if (!inShell && !inOther && line.trim() === "```sh") inShell = true;
    else if (!inShell && !inOther && line.trim().startsWith("```")) inOther = true;
    else if (line.trim() === "```") inShell = inOther = false;
    else if (inShell && line.trim() && !line.trim().startsWith("#")) {
      const last = steps[steps.length - 1];
      if (last?.step === step) last.commands.push(line.trim());
      else steps.push({ step, commands: [line.trim()] });
    }
  }
  return steps;
}
