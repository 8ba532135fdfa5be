// The Airlock workspace root: the nearest folder above `from` with a pnpm-workspace.yaml.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export function findWorkspaceRoot(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    if (dir === dirname(dir)) return resolve(from);
  }
}
