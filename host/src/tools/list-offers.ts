// Asking a component for the tools, resources and prompts it declares means running it: once per
// component digest, in a worker with no grants, under the host's time and memory limits. The
// checked answer is cached beside the transpiled code, so later start-ups read a file instead.
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { UserError } from "../errors.js";
import type { CallRequest } from "../executor/component-worker.js";
import { PreparedComponent, type ComponentSource } from "../executor/prepared-component.js";
import type { WorkerPool } from "../executor/worker-pool.js";
import { writeAtomically } from "../atomic-files.js";
import { checkListing, type Offered, type ProvidedPrompt, type ProvidedResource, type ProvidedTemplate } from "./provided-resources.js";
import type { ProvidedTool } from "./provided-tools.js";
import { templateProblem } from "./uri-template.js";

// v3: templates and nested strings are checked (older listings were not).
const FORMAT = "v3";

export interface ListingOptions {
  cacheDir: string;
  memoryLimitBytes: number;
  timeoutMs: number;
}

/** The exported interfaces to ask: `airlock:tool/provider`, `resources`, `prompts`. */
export interface OfferInterfaces {
  provider?: string | undefined;
  resources?: string | undefined;
  prompts?: string | undefined;
}

export interface Offers {
  tools: ProvidedTool[];
  offered: Offered;
}

export async function listOffers(source: ComponentSource, interfaces: OfferInterfaces, options: ListingOptions): Promise<Offers> {
  // The component runs under its id and may list by it (it knows its id from the sandbox): the
  // same bytes loaded under two ids are two listings.
  const file = join(options.cacheDir, `${source.sha256}-${source.id}-offers-${FORMAT}.json`);
  try {
    return JSON.parse(await readFile(file, "utf8")) as Offers;
  } catch {
    // Not listed yet: ask the component.
  }
  const prepared = await PreparedComponent.prepare(source, options.cacheDir);
  try {
    const pool = await prepared.poolFor("list", () =>
      Promise.resolve({
        sandbox: { componentId: source.id, storage: [], network: [], privateNetwork: false, environment: {} },
        memoryLimitBytes: options.memoryLimitBytes,
        maxResultBytes: 1024 * 1024,
        poolSize: 1,
        maxQueue: 1,
        options: { timeoutMs: options.timeoutMs, maxOutputLine: 8 * 1024, maxOutputBytes: 256 * 1024, onOutput: () => undefined },
      }),
    );
    const ask = (iface: string, fn: string, extra: Partial<CallRequest> = {}) => listed(pool, source.id, iface, fn, extra);
    const { provider, resources, prompts } = interfaces;
    // Tools are checked in the worker: their schemas come from the guest and compiling them must
    // stay under the time limit. The other listings are plain strings, checked here.
    const offers: Offers = {
      tools: provider ? ((await ask(provider, "listTools", { provider: { list: true } })) as ProvidedTool[]) : [],
      offered: {
        resources: resources ? checkListing<ProvidedResource>(source.id, "resources list-resources", await ask(resources, "listResources"), (r) => r.uri) : [],
        templates: resources
          ? checkListing<ProvidedTemplate>(
              source.id,
              "resources list-resource-templates",
              await ask(resources, "listResourceTemplates"),
              (t) => t.uriTemplate,
              (t) => templateProblem(t.uriTemplate),
            )
          : [],
        prompts: prompts ? checkListing<ProvidedPrompt>(source.id, "prompts list-prompts", await ask(prompts, "listPrompts"), (p) => p.name) : [],
      },
    };
    await mkdir(options.cacheDir, { recursive: true });
    await writeAtomically(file, JSON.stringify(offers));
    return offers;
  } finally {
    await prepared.close();
  }
}

async function listed(pool: WorkerPool, componentId: string, iface: string, fn: string, extra: Partial<CallRequest>): Promise<unknown> {
  const outcome = await pool.call({ exportPath: [iface, fn], args: [], returnsResult: false, ...extra }, {});
  if (!outcome.ok && outcome.kind === "bad-answer") throw new UserError(outcome.message);
  if (!outcome.ok) throw new UserError(`component "${componentId}" failed to answer ${iface} ${fn}: ${"message" in outcome ? outcome.message : "an error result"}`);
  return outcome.value;
}
