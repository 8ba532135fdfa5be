// Prompts and resources of many components share one namespace each, as tools do: a second
// component may not take a prompt name, a resource URI or a URI template another one already
// offers, or it would receive the requests (and arguments) meant for the first.
import { UserError } from "../errors.js";
import type { Offered } from "./provided-resources.js";

export interface ComponentOffers {
  componentId: string;
  offered: Offered;
}

/** Throws when `candidate` offers something a loaded component already offers. */
export function refuseOfferCollisions(loaded: ComponentOffers[], candidate: ComponentOffers): void {
  const kinds: { what: string; keys: (o: Offered) => string[] }[] = [
    { what: "prompt", keys: (o) => o.prompts.map((p) => p.name) },
    { what: "resource", keys: (o) => o.resources.map((r) => r.uri) },
    { what: "resource template", keys: (o) => o.templates.map((t) => t.uriTemplate) },
  ];
  for (const { what, keys } of kinds) {
    const wanted = new Set(keys(candidate.offered));
    for (const other of loaded) {
      if (other.componentId === candidate.componentId) continue;
      const taken = keys(other.offered).find((key) => wanted.has(key));
      if (taken !== undefined) {
        throw new UserError(
          `${what} collision: "${taken.slice(0, 200)}" is offered by both component "${other.componentId}" and component "${candidate.componentId}"; unload one of them (airlock unload <id>)`,
        );
      }
    }
  }
}
