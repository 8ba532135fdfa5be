// A store that `airlock serve --config` fills from a deployment file is that file's: grants and
// components changed here by hand (CLI or MCP) would differ between replicas and be overwritten at
// the next reload, so they are refused, saying where to make the change instead. The mark is
// $AIRLOCK_HOME/deployment.json, naming the file.
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { writeAtomically } from "../atomic-files.js";

const markFile = (homeRoot: string) => join(homeRoot, "deployment.json");

export async function markManaged(homeRoot: string, deploymentFile: string): Promise<void> {
  await writeAtomically(markFile(homeRoot), JSON.stringify({ file: deploymentFile }, null, 2) + "\n");
}

export async function unmarkManaged(homeRoot: string): Promise<void> {
  await rm(markFile(homeRoot), { force: true });
}

/** The deployment file that manages this store, if one does. */
export async function managedBy(homeRoot: string): Promise<string | undefined> {
  try {
    const file = (JSON.parse(await readFile(markFile(homeRoot), "utf8")) as { file?: unknown }).file;
    return typeof file === "string" ? file : "a deployment file";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return "a deployment file";
  }
}

/** Throws when a deployment file manages the store; `action` says what was refused ("granting"). */
export async function refuseWhenManaged(homeRoot: string, action: string): Promise<void> {
  const file = await managedBy(homeRoot);
  if (file === undefined) return;
  throw new UserError(
    `${action} is refused: this store is served from the deployment file ${file}, which is the source of truth for its components and grants. ` +
      `Change that file instead: replicas apply it on SIGHUP or when it changes. (To manage this store by hand again, stop the server and delete ${markFile(homeRoot)}.)`,
  );
}
