// airlock load | list | unload | inspect: manage the component store.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { readCustomSections } from "@airlock/wit-parser";
import { ComponentHost } from "../component-host.js";
import { UsageError, UserError } from "../errors.js";
import { airlockHome } from "../home.js";
import { parsePolicy } from "../policy/policy-store.js";
import { ComponentStore } from "../store/component-store.js";
import { fetchComponent } from "../store/fetch-component.js";
import { loadComponentFile } from "../store/load-component.js";
import { refuseWhenManaged } from "../store/managed-store.js";
import { defineTools } from "../tools/tool-definitions.js";
import { airlockCommand } from "../cli-command.js";

function hostForCli(): ComponentHost {
  return new ComponentHost({ home: airlockHome() });
}

export async function load(args: string[]): Promise<void> {
  const quiet = args.includes("--quiet");
  const policyIndex = args.indexOf("--policy");
  const policyFile = policyIndex === -1 ? undefined : args[policyIndex + 1];
  if (policyIndex !== -1 && !policyFile) throw new UsageError("--policy needs a file: airlock load <file.wasm> --policy policy.yaml");
  const positional = args.filter((a, i) => a !== "--quiet" && (policyIndex === -1 || (i !== policyIndex && i !== policyIndex + 1)));
  if (positional.length !== 1)
    throw new UsageError("usage: airlock load <file.wasm|file://...|oci://registry/repo:tag|oci://registry/repo@sha256:...|https://...#sha256=...> [--policy FILE] [--quiet]");
  const policy = policyFile
    ? parsePolicy(
        await readFile(policyFile, "utf8").catch(() => {
          throw new UserError(`cannot read the policy file ${policyFile}`);
        }),
        policyFile,
      )
    : undefined;
  const { entry, tools } = await loadComponentFile(hostForCli(), positional[0]!, policy);
  if (!quiet) {
    console.log(`loaded ${entry.id} (sha256 ${entry.sha256.slice(0, 12)}, ${tools.length} tool${tools.length === 1 ? "" : "s"}: ${tools.join(", ")})`);
    if (entry.digest) console.log(`  from ${entry.source} resolved to ${entry.digest}${entry.signedBy ? `, signed by ${entry.signedBy}` : ""}`);
    if (entry.requested) console.log(`  the publisher requests permissions (not granted): ${airlockCommand()} policy ${entry.id} shows them`);
  }
}

export async function list(args: string[]): Promise<void> {
  if (args.length > 0) throw new UsageError("usage: airlock list");
  const host = hostForCli();
  const entries = await host.store.list();
  if (entries.length === 0) {
    console.log(`no components in ${host.store.dir}: add one with ${airlockCommand()} load <file.wasm>`);
    return;
  }
  for (const entry of entries) {
    const tools = defineTools(entry.id, await host.describe(entry)).map((t) => t.name);
    console.log(`${entry.id}\tsha256:${entry.sha256}\t${tools.join(", ")}\t${entry.source}${entry.digest ? ` (${entry.digest})` : ""}`);
  }
}

export async function unload(args: string[]): Promise<void> {
  if (args.length !== 1) throw new UsageError("usage: airlock unload <id>");
  const host = hostForCli();
  await refuseWhenManaged(host.homeRoot, `unloading ${args[0]}`);
  if (!(await host.store.remove(args[0]!))) throw new UserError(`no component "${args[0]}" in the store: airlock list shows what is loaded`);
  await host.policies.remove(args[0]!);
  console.log(`unloaded ${args[0]}`);
}

export async function inspect(args: string[]): Promise<void> {
  if (args.length !== 1) throw new UsageError("usage: airlock inspect <id|file.wasm|oci://...>");
  const host = hostForCli();
  const entry = await host.store.get(args[0]!);
  const fetched = entry
    ? undefined
    : await fetchComponent(args[0]!, host.homeRoot).catch((error: Error) => {
        if (!args[0]!.includes("/") && ComponentStore.isValidId(args[0]!)) throw new UserError(`"${args[0]}" is neither a loaded component id nor a readable file: airlock list shows the ids`);
        throw error;
      });
  // A component not in the store is described like one being loaded (a provider is asked for its tools).
  const description = entry
    ? await host.describe(entry)
    : await host.describeSource({ id: fetched!.id, sha256: createHash("sha256").update(fetched!.bytes).digest("hex"), read: () => Promise.resolve(fetched!.bytes) });
  const tools = defineTools(entry?.id ?? fetched!.id, description);
  // The version airlock-tool-build writes into a component (`version` custom section), if any.
  const version = readCustomSections(entry ? await readFile(entry.path) : fetched!.bytes).find((s) => s.name === "version");
  console.log(
    JSON.stringify(
      {
        ...(version ? { version: new TextDecoder().decode(version.payload) } : {}),
        imports: description.imports,
        tools: tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema, outputSchema: t.outputSchema })),
        ...(description.offered ? { resources: description.offered.resources, resourceTemplates: description.offered.templates, prompts: description.offered.prompts } : {}),
        wit: description.wit,
      },
      null,
      2,
    ),
  );
}
