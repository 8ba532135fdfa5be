// How a person runs this CLI from a shell, for every command a message prints: `airlock` when
// that name on PATH is this very CLI (linked by `npm start`, or installed), otherwise
// `node /path/to/host/bin/airlock.js`, which runs wherever the message is read on this machine.
import { accessSync, constants, realpathSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { shellQuote } from "./shell-quote.js";

const entry = fileURLToPath(new URL("../bin/airlock.js", import.meta.url));
const cache = new Map<string, string>();

export function airlockCommand(path = process.env.PATH ?? ""): string {
  let command = cache.get(path);
  if (command === undefined) {
    command = onPathIsThisCli(path) ? "airlock" : `node ${shellQuote(entry)}`;
    cache.set(path, command);
  }
  return command;
}

function onPathIsThisCli(path: string): boolean {
  const self = realpath(entry);
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, "airlock");
    try {
      accessSync(candidate, constants.X_OK);
    } catch {
      continue;
    }
    // The first `airlock` on PATH is what a shell runs: it must be this one.
    const target = realpath(candidate);
    return target === self || target === realpath(fileURLToPath(new URL("./cli.js", import.meta.url)));
  }
  return false;
}

function realpath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
