// Asking a provider component for its tools means running it: once per component digest, in a
// worker with no grants, under the host's time and memory limits. The checked answer is cached
// beside the transpiled code, so later start-ups read a file instead.
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { PreparedComponent, type ComponentSource } from "../executor/prepared-component.js";
import { writeAtomically } from "../store/component-store.js";
import type { ProvidedTool } from "./provided-tools.js";

const FORMAT = "v1";

export interface ListingOptions {
  cacheDir: string;
  memoryLimitBytes: number;
  timeoutMs: number;
}

export async function listProvidedTools(entry: ComponentSource, providerInterface: string, options: ListingOptions): Promise<ProvidedTool[]> {
  const file = join(options.cacheDir, `${entry.sha256}-provided-tools-${FORMAT}.json`);
  try {
    return JSON.parse(await readFile(file, "utf8")) as ProvidedTool[];
  } catch {
    // Not listed yet: ask the component.
  }
  const prepared = await PreparedComponent.prepare(entry, options.cacheDir);
  try {
    const pool = await prepared.poolFor("list-tools", () =>
      Promise.resolve({
        sandbox: { componentId: entry.id, storage: [], network: [], environment: {} },
        memoryLimitBytes: options.memoryLimitBytes,
        maxResultBytes: 1024 * 1024,
        poolSize: 1,
        maxQueue: 1,
        options: { timeoutMs: options.timeoutMs, maxOutputLine: 8 * 1024, maxOutputBytes: 256 * 1024, onOutput: () => undefined },
      }),
    );
    // The answer is checked in the worker (schemas compiled there, under the time limit).
    const outcome = await pool.call({ exportPath: [providerInterface, "listTools"], args: [], returnsResult: false, provider: { list: true } }, {});
    if (!outcome.ok && outcome.kind === "bad-answer") throw new UserError(outcome.message);
    if (!outcome.ok) throw new UserError(`component "${entry.id}" failed to list its tools (airlock:tool/provider list-tools): ${"message" in outcome ? outcome.message : "an error result"}`);
    const tools = outcome.value as ProvidedTool[];
    await mkdir(options.cacheDir, { recursive: true });
    await writeAtomically(file, JSON.stringify(tools));
    return tools;
  } finally {
    await prepared.close();
  }
}
