// Adding a component to the store, shared by `airlock load` and the load-component tool: fetch
// it (file, oci:// or pinned https://), check that its exports can be served and that its tool
// names, prompt names and resource URIs are free, then store it with where it came from and what it resolved to.
import { createHash } from "node:crypto";
import type { ComponentHost } from "../component-host.js";
import { UserError } from "../errors.js";
import type { Policy } from "../policy/policy.js";
import { refuseOfferCollisions, type ComponentOffers } from "../tools/offer-collisions.js";
import { defineTools, ToolCatalog } from "../tools/tool-definitions.js";
import type { StoredComponent } from "./component-store.js";
import { fetchComponent, type FetchOptions } from "./fetch-component.js";
import { refuseWhenManaged } from "./managed-store.js";

export { localPath } from "./fetch-component.js";

export async function loadComponentFile(host: ComponentHost, uri: string, policy?: Policy, options: FetchOptions = {}): Promise<{ entry: StoredComponent; tools: string[] }> {
  await refuseWhenManaged(host.homeRoot, `loading ${uri}`);
  const fetched = await fetchComponent(uri, host.homeRoot, options);
  const { id, bytes } = fetched;
  const others = new ToolCatalog();
  const othersOffers: ComponentOffers[] = [];
  for (const entry of await host.store.list()) {
    if (entry.id === id) continue;
    const described = await host.describe(entry);
    others.add(defineTools(entry.id, described));
    if (described.offered) othersOffers.push({ componentId: entry.id, offered: described.offered });
  }
  let description;
  try {
    // A provider component is run here (no grants) to list its tools, so they are checked too.
    description = await host.describeSource({ id, sha256: createHash("sha256").update(bytes).digest("hex"), read: () => Promise.resolve(bytes) });
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot read the exports of ${fetched.source}: ${(error as Error).message}`);
  }
  const tools = defineTools(id, description);
  others.add(tools);
  if (description.offered) refuseOfferCollisions(othersOffers, { componentId: id, offered: description.offered });
  const previous = await host.store.get(id);
  const entry = await host.store.add(id, bytes, fetched.source, {
    ...(fetched.digest ? { digest: fetched.digest } : {}),
    ...(fetched.requested ? { requested: fetched.requested } : {}),
    ...(fetched.signedBy ? { signedBy: fetched.signedBy } : {}),
  });
  if (policy) await host.policies.write(id, policy);
  // Grants were given to the component the user saw, not to whatever later takes its name.
  else if (previous && previous.sha256 !== entry.sha256) await host.policies.remove(id);
  return { entry, tools: tools.map((t) => t.name) };
}
