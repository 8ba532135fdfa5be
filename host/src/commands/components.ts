// airlock load | list | unload | inspect: manage the component store.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import { ComponentHost } from "../component-host.js";
import { UsageError, UserError } from "../errors.js";
import { airlockHome } from "../home.js";
import { parsePolicy } from "../policy/policy-store.js";
import { ComponentStore } from "../store/component-store.js";
import { defineTools, ToolCatalog } from "../tools/tool-definitions.js";

function hostForCli(): ComponentHost {
  return new ComponentHost({ home: airlockHome() });
}

/** `./x.wasm`, `/abs/x.wasm` or `file:///abs/x.wasm` -> an absolute path. */
function localPath(uri: string): string {
  if (uri.startsWith("file://")) return fileURLToPath(uri);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
    throw new UserError(`cannot load ${uri}: only local files (a path or file://) are supported so far`);
  }
  return resolve(uri);
}

export async function load(args: string[]): Promise<void> {
  const quiet = args.includes("--quiet");
  const policyIndex = args.indexOf("--policy");
  const policyFile = policyIndex === -1 ? undefined : args[policyIndex + 1];
  if (policyIndex !== -1 && !policyFile) throw new UsageError("--policy needs a file: airlock load <file.wasm> --policy policy.yaml");
  const positional = args.filter((a, i) => a !== "--quiet" && (policyIndex === -1 || (i !== policyIndex && i !== policyIndex + 1)));
  if (positional.length !== 1) throw new UsageError("usage: airlock load <file.wasm|file://...> [--policy FILE] [--quiet]");
  const path = localPath(positional[0]!);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  const policy = policyFile ? parsePolicy(await readFile(policyFile, "utf8").catch(() => {
    throw new UserError(`cannot read the policy file ${policyFile}`);
  }), policyFile) : undefined;
  const host = hostForCli();
  const id = ComponentStore.idFromFile(path);
  // Check before storing: the component must describe cleanly and its tool names must be free.
  const others = new ToolCatalog();
  for (const entry of await host.store.list()) {
    if (entry.id === id) continue;
    others.add(defineTools(entry.id, await host.describe(entry)));
  }
  const { describeComponent } = await import("../loader/describe-component.js");
  let description;
  try {
    description = await describeComponent(bytes);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot read the exports of ${path}: ${(error as Error).message}`);
  }
  const tools = defineTools(id, description);
  others.add(tools);
  const entry = await host.store.add(id, bytes, pathToFileURL(path).href);
  if (policy) await host.policies.write(id, policy);
  if (!quiet) {
    console.log(`loaded ${entry.id} (sha256 ${entry.sha256.slice(0, 12)}, ${tools.length} tool${tools.length === 1 ? "" : "s"}: ${tools.map((t) => t.name).join(", ")})`);
  }
}

export async function list(args: string[]): Promise<void> {
  if (args.length > 0) throw new UsageError("usage: airlock list");
  const host = hostForCli();
  const entries = await host.store.list();
  if (entries.length === 0) {
    console.log(`no components in ${host.store.dir}: add one with airlock load <file.wasm>`);
    return;
  }
  for (const entry of entries) {
    const tools = defineTools(entry.id, await host.describe(entry)).map((t) => t.name);
    console.log(`${entry.id}\tsha256:${entry.sha256}\t${tools.join(", ")}\t${entry.source}`);
  }
}

export async function unload(args: string[]): Promise<void> {
  if (args.length !== 1) throw new UsageError("usage: airlock unload <id>");
  const host = hostForCli();
  if (!(await host.store.remove(args[0]!))) throw new UserError(`no component "${args[0]}" in the store: airlock list shows what is loaded`);
  await host.policies.remove(args[0]!);
  console.log(`unloaded ${args[0]}`);
}

export async function inspect(args: string[]): Promise<void> {
  if (args.length !== 1) throw new UsageError("usage: airlock inspect <id|file.wasm>");
  const host = hostForCli();
  const entry = await host.store.get(args[0]!);
  const { describeComponent } = await import("../loader/describe-component.js");
  const description = entry ? await host.describe(entry) : await describeComponent(await readFile(localPath(args[0]!)).catch(() => {
    throw new UserError(`"${args[0]}" is neither a loaded component id nor a readable file`);
  }));
  const tools = defineTools(entry?.id ?? ComponentStore.idFromFile(args[0]!), description);
  console.log(
    JSON.stringify(
      {
        imports: description.imports,
        tools: tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema, outputSchema: t.outputSchema })),
        wit: description.wit,
      },
      null,
      2,
    ),
  );
}
