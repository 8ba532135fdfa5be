// Makes the store say what the deployment file says: its trusted keys and signature rule, its
// components (fetched by digest through the verified cache, signatures checked), their grants and
// tool selections; components the file does not name are removed. Everything is fetched and
// verified before anything changes: once a replica is ready, a file with a component that cannot
// be fetched or verified changes nothing (the replica keeps serving the previous file). Before
// that, what could be fetched is served and the rest is retried.
import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { ComponentHost } from "../component-host.js";
import { policyToYaml } from "../policy/policy-store.js";
import { fetchComponent, trustStore, type FetchedComponent } from "../store/fetch-component.js";
import { applyStore, type StoreChanges } from "../store/store-watcher.js";
import type { Deployment } from "./deployment-file.js";

export interface SyncResult extends StoreChanges {
  /** Components of the file that are not served as the file says, with why. */
  failed: { id: string; problem: string }[];
  /** False when nothing changed because a component failed after the replica was ready. */
  applied: boolean;
}

export async function syncDeployment(host: ComponentHost, deployment: Deployment, options: { partial: boolean; onWarning?: (message: string) => void }): Promise<SyncResult> {
  await syncTrust(host.homeRoot, deployment);
  const fetched = await Promise.all(
    deployment.components.map(async (component) => {
      try {
        const got = await fetchComponent(component.source, host.homeRoot);
        return { component, got };
      } catch (error) {
        return { component, problem: (error as Error).message };
      }
    }),
  );
  const failed = fetched.filter((f) => f.problem !== undefined).map((f) => ({ id: f.component.id, problem: f.problem! }));
  if (failed.length > 0 && !options.partial) return { loaded: [], unloaded: [], failed, applied: false };

  const previousSelection = new Map(deployment.components.map((c) => [c.id, host.toolSelection(c.id)]));
  for (const { component, got } of fetched) {
    if (!got) continue;
    await storeIfChanged(host, component.id, got);
    const policy = policyToYaml(component.policy);
    if (policyToYaml(await host.policies.read(component.id)) !== policy) await host.policies.write(component.id, component.policy);
    host.selectTools(component.id, component.tools);
  }
  const wanted = new Set(deployment.components.map((c) => c.id));
  for (const entry of await host.store.list()) {
    if (wanted.has(entry.id)) continue;
    await host.store.remove(entry.id);
    await host.policies.remove(entry.id);
    host.selectTools(entry.id, undefined);
  }
  const changes = await applyStore(host, options.onWarning);
  // Same bytes, other tools selected: the component is registered again with its new tool list.
  for (const { component, got } of fetched) {
    if (!got || changes.loaded.includes(component.id) || sameList(previousSelection.get(component.id), component.tools)) continue;
    try {
      await host.loadOne(component.id);
      changes.loaded.push(component.id);
    } catch (error) {
      failed.push({ id: component.id, problem: (error as Error).message });
    }
  }
  for (const { component, got } of fetched) {
    if (got && !host.component(component.id) && !failed.some((f) => f.id === component.id)) failed.push({ id: component.id, problem: "could not be loaded (see the warnings above)" });
  }
  return { ...changes, failed, applied: true };
}

async function storeIfChanged(host: ComponentHost, id: string, got: FetchedComponent): Promise<void> {
  const stored = await host.store.get(id);
  if (stored && stored.source === got.source && stored.sha256 === sha256Of(got)) return;
  await host.store.add(id, got.bytes, got.source, {
    ...(got.digest ? { digest: got.digest } : {}),
    ...(got.requested ? { requested: got.requested } : {}),
    ...(got.signedBy ? { signedBy: got.signedBy } : {}),
  });
}

function sha256Of(got: FetchedComponent): string {
  return createHash("sha256").update(got.bytes).digest("hex");
}

/** The store trusts exactly the file's keys, under names made from their file names. */
async function syncTrust(homeRoot: string, deployment: Deployment): Promise<void> {
  const trust = trustStore(homeRoot);
  await trust.setSignaturePolicy(deployment.signatures);
  const names = new Set<string>();
  for (const file of deployment.trustedKeys) {
    let name =
      basename(file)
        .replace(/\.(pub|pem)$/i, "")
        .replace(/[^A-Za-z0-9._-]+/g, "-")
        .replace(/^[^A-Za-z0-9]+/, "") || "key";
    while (names.has(`${name}.pub`)) name = `${name}-2`;
    names.add(await trust.add(file, `${name}.pub`));
  }
  for (const key of await trust.keys()) if (!names.has(key.name)) await trust.remove(key.name);
}

const sameList = (a: string[] | undefined, b: string[] | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
