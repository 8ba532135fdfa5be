// Adding a component to the store, shared by `airlock load` and the load-component tool: read
// it, check that its exports can be served and that its tool names are free, then store it.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ComponentHost } from "../component-host.js";
import { UserError } from "../errors.js";
import { describeComponent } from "../loader/describe-component.js";
import type { Policy } from "../policy/policy.js";
import { defineTools, ToolCatalog } from "../tools/tool-definitions.js";
import { ComponentStore, type StoredComponent } from "./component-store.js";

/** `./x.wasm`, `/abs/x.wasm` or `file:///abs/x.wasm` -> an absolute path. */
export function localPath(uri: string): string {
  if (uri.startsWith("file://")) return fileURLToPath(uri);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
    throw new UserError(`cannot load ${uri}: only local files (a path or file://) are supported so far`);
  }
  return resolve(uri);
}

export async function loadComponentFile(host: ComponentHost, uri: string, policy?: Policy): Promise<{ entry: StoredComponent; tools: string[] }> {
  const path = localPath(uri);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  const id = ComponentStore.idFromFile(path);
  const others = new ToolCatalog();
  for (const entry of await host.store.list()) {
    if (entry.id !== id) others.add(defineTools(entry.id, await host.describe(entry)));
  }
  let description;
  try {
    description = await describeComponent(bytes);
  } catch (error) {
    throw new UserError(`cannot read the exports of ${path}: ${(error as Error).message}`);
  }
  const tools = defineTools(id, description);
  others.add(tools);
  const previous = await host.store.get(id);
  const entry = await host.store.add(id, bytes, pathToFileURL(path).href);
  if (policy) await host.policies.write(id, policy);
  // Grants were given to the component the user saw, not to whatever later takes its name.
  else if (previous && previous.sha256 !== entry.sha256) await host.policies.remove(id);
  return { entry, tools: tools.map((t) => t.name) };
}
