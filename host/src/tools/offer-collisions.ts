// Prompts and resources of many components share one namespace each, as tools do: a second
// component may not take a prompt name, a resource URI or a URI template another one already
// offers, nor list a URI another's template serves (a listed URI is read before templates), or it
// would receive the requests (and arguments) meant for the first.
import { UserError } from "../errors.js";
import type { Offered, ProvidedTemplate } from "./provided-resources.js";
import { compileTemplate, matchesTemplate, newBudget, templateProblem } from "./uri-template.js";
import { airlockCommand } from "../cli-command.js";

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
      if (taken !== undefined) throw collision(what, taken, other.componentId, candidate.componentId);
    }
  }
  for (const other of loaded) {
    if (other.componentId === candidate.componentId) continue;
    const served = listedUnderTemplate(
      candidate.offered.resources.map((r) => r.uri),
      other.offered.templates,
    );
    if (served) throw collision("resource", served, other.componentId, candidate.componentId, "'s template");
    const taken = listedUnderTemplate(
      other.offered.resources.map((r) => r.uri),
      candidate.offered.templates,
    );
    if (taken) throw collision("resource", taken, other.componentId, candidate.componentId, "", "'s template");
  }
}

function collision(what: string, key: string, first: string, second: string, firstHow = "", secondHow = ""): UserError {
  return new UserError(
    `${what} collision: "${key.slice(0, 200)}" is offered by both component "${first}"${firstHow} and component "${second}"${secondHow}; unload one of them (${airlockCommand()} unload <id>)`,
  );
}

/** A listed URI that one of `templates` matches, if any. */
function listedUnderTemplate(uris: string[], templates: ProvidedTemplate[]): string | undefined {
  const budget = newBudget();
  const compiled = templates.filter((t) => !templateProblem(t.uriTemplate)).map((t) => compileTemplate(t.uriTemplate));
  return uris.find((uri) => compiled.some((t) => matchesTemplate(t, uri, budget)));
}
