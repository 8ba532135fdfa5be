// Makes `airlock` a command in the user's shell, as every message and doc prints it: a symlink
// to host/bin/airlock.js in the first directory that is on PATH and writable: npm's global bin
// (where `npm link` would put it), then ~/.local/bin. A file there that is not an Airlock link is
// never replaced. AIRLOCK_NO_LINK=1 skips it; messages then print `node <path> ...`, which runs.
import { accessSync, constants, lstatSync, readlinkSync, realpathSync, symlinkSync, unlinkSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const cliEntry = join(root, "host", "bin", "airlock.js");

/** @returns {{ linked: string, replaced?: string } | { skipped: string }} */
export function linkCli(env = process.env) {
  if (env.AIRLOCK_NO_LINK === "1") return { skipped: "AIRLOCK_NO_LINK=1" };
  const onPath = new Set(
    (env.PATH ?? "")
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => resolve(dir)),
  );
  const prefix = env.npm_config_global_prefix ?? env.npm_config_prefix;
  const candidates = [...(prefix ? [join(prefix, "bin")] : []), join(env.HOME ?? homedir(), ".local", "bin")];
  const reasons = [];
  for (const dir of candidates) {
    if (!onPath.has(resolve(dir))) {
      reasons.push(`${dir} is not on PATH`);
      continue;
    }
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      reasons.push(`${dir} is not writable`);
      continue;
    }
    const link = join(dir, "airlock");
    const existing = existingLink(link);
    if (existing === "foreign") {
      reasons.push(`${link} exists and is not an Airlock link`);
      continue;
    }
    if (existing && realpathOr(existing) === realpathOr(cliEntry)) return { linked: link };
    if (existing) unlinkSync(link);
    symlinkSync(cliEntry, link);
    return existing ? { linked: link, replaced: existing } : { linked: link };
  }
  return { skipped: reasons.join("; ") };
}

/** What `link` points to when it is an Airlock link, "foreign" for anything else, or undefined. */
function existingLink(link) {
  let stat;
  try {
    stat = lstatSync(link);
  } catch {
    return undefined;
  }
  if (!stat.isSymbolicLink()) return "foreign";
  const target = resolve(dirname(link), readlinkSync(link));
  return /[\\/]host[\\/]bin[\\/]airlock\.js$/.test(target) ? target : "foreign";
}

function realpathOr(path) {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = linkCli();
  if ("linked" in result) console.error(`airlock: the airlock command is ${result.linked} -> ${cliEntry}${result.replaced ? ` (it pointed to ${result.replaced})` : ""}`);
  else console.error(`airlock: airlock was not linked (${result.skipped}): run it as node ${cliEntry} ...`);
}
