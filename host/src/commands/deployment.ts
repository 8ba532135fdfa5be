// airlock deployment check <airlock.yaml>: everything `serve --config` checks before it starts
// (the file, its policies, trusted keys and token files), without starting or fetching anything,
// so a change can be checked in CI before replicas see it.
import { readFile } from "node:fs/promises";
import { readPublicKey } from "@airlock/oci";
import { readDeploymentFile } from "../deployment/deployment-file.js";
import { UsageError, UserError } from "../errors.js";
import { readProvidedToken } from "../mcp/http-token.js";

const USAGE = "usage: airlock deployment check <airlock.yaml>";

export async function deployment(args: string[]): Promise<void> {
  if (args[0] !== "check" || args.length !== 2) throw new UsageError(USAGE);
  const file = await readDeploymentFile(args[1]!);
  const problems: string[] = [];
  for (const [i, key] of file.trustedKeys.entries()) {
    try {
      readPublicKey(await readFile(key, "utf8"), key);
    } catch (error) {
      problems.push(`server.trustedKeys.${i}: ${key}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
    }
  }
  const tokens = [...(file.tokenFile ? [{ key: "server.tokenFile", path: file.tokenFile }] : []), ...file.clients.map((c, i) => ({ key: `server.clients.${i}.tokenFile`, path: c.tokenFile }))];
  for (const token of tokens) {
    try {
      await readProvidedToken(token.path, token.key);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) throw new UserError(`${file.file}:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  console.log(`${file.file}: valid: ${file.components.length} component(s), signatures ${file.signatures}${file.trustedKeys.length > 0 ? ` (${file.trustedKeys.length} trusted key(s))` : ""}`);
  for (const c of file.components) {
    const grants = c.policy.permissions ?? {};
    const counts = [`${grants.storage?.allow?.length ?? 0} storage`, `${grants.network?.allow?.length ?? 0} network`, `${grants.environment?.allow?.length ?? 0} environment`];
    console.log(`  ${c.id}\t${c.source}\t${c.tools ? `tools: ${c.tools.join(", ")}` : "all tools"}\tgrants: ${counts.join(", ")}`);
  }
}
