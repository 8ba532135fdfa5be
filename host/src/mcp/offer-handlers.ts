// MCP resources, prompts and completions, answered from what components offer through
// airlock:tool/resources and airlock:tool/prompts. Reading a resource or getting a prompt runs the
// component in its sandbox, like a tool call. Resources are static: no updates are ever sent, so a
// subscription is only acknowledged.
import { ProtocolError, ProtocolErrorCode, type Server } from "@modelcontextprotocol/server";
import type { ComponentHost } from "../component-host.js";
import type { CallOutcome } from "../executor/component-worker.js";
import { toPromptContent, toResourceContents, type ProvidedTemplate } from "../tools/provided-resources.js";
import { compileTemplate, matchesTemplate, MatchBudgetExceeded, newBudget, templateProblem, type CompiledTemplate, type MatchBudget } from "../tools/uri-template.js";
import { airlockCommand } from "../cli-command.js";
import { resourceNotFound } from "./resource-not-found.js";

const RESOURCES = "airlock:tool/resources@0.1.0";
const PROMPTS = "airlock:tool/prompts@0.1.0";

export function registerOfferHandlers(server: Server, host: ComponentHost): void {
  const subscriptions = new Set<string>();
  const meta = (componentId: string) => ({ _meta: { "airlock/component": componentId } });

  server.setRequestHandler("resources/list", () => ({
    resources: host.offers().flatMap(({ componentId, offered }) => offered.resources.map((r) => ({ ...r, ...meta(componentId) }))),
  }));
  server.setRequestHandler("resources/templates/list", () => ({
    resourceTemplates: host.offers().flatMap(({ componentId, offered }) => offered.templates.map((t) => ({ ...t, ...meta(componentId) }))),
  }));

  const compiled = new WeakMap<ProvidedTemplate, CompiledTemplate | undefined>();
  const matches = (template: ProvidedTemplate, uri: string, budget: MatchBudget) => {
    if (!compiled.has(template)) compiled.set(template, templateProblem(template.uriTemplate) ? undefined : compileTemplate(template.uriTemplate));
    const ready = compiled.get(template);
    return ready !== undefined && matchesTemplate(ready, uri, budget);
  };

  /**
   * The component offering `uri`: the one that lists it or whose template matches it. A URI that
   * two components offer (listed or by template) goes to neither: one could be reading what is
   * meant for the other.
   */
  const ownerOf = (uri: string) => {
    const budget = newBudget();
    let matching: ReturnType<ComponentHost["offers"]>;
    try {
      matching = host.offers().filter(({ offered }) => offered.resources.some((r) => r.uri === uri) || offered.templates.some((t) => matches(t, uri, budget)));
    } catch (error) {
      if (error instanceof MatchBudgetExceeded) throw resourceNotFound(uri, `no resource ${shown(uri)}: ${error.message}`);
      throw error;
    }
    if (matching.length > 1) {
      const ids = matching.map((m) => `"${m.componentId}"`).join(" and ");
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `the URI ${shown(uri)} is offered by both ${ids}, so it is sent to neither (one could receive what is meant for the other); unload one of them (${airlockCommand()} unload <id>)`,
      );
    }
    return matching[0];
  };

  server.setRequestHandler("resources/read", async (request) => {
    const { uri } = request.params;
    const owner = ownerOf(uri);
    if (!owner) throw resourceNotFound(uri, `no resource ${shown(uri)}: resources/list and resources/templates/list show what there is`);
    const contents = answer(await host.runExport(owner.componentId, [RESOURCES, "readResource"], [uri], `resources/read ${uri}`), owner.componentId, (message) => resourceNotFound(uri, message));
    return { contents: (contents as Parameters<typeof toResourceContents>[0][]).map(toResourceContents) };
  });

  server.setRequestHandler("resources/subscribe", (request) => {
    if (!ownerOf(request.params.uri)) throw resourceNotFound(request.params.uri, `no resource ${shown(request.params.uri)} to subscribe to`);
    subscriptions.add(request.params.uri);
    return {};
  });
  server.setRequestHandler("resources/unsubscribe", (request) => {
    subscriptions.delete(request.params.uri);
    return {};
  });

  server.setRequestHandler("prompts/list", () => ({
    prompts: host.offers().flatMap(({ componentId, offered }) => offered.prompts.map((p) => ({ ...p, ...meta(componentId) }))),
  }));

  const promptOwner = (name: string) => {
    const owner = host.offers().find(({ offered }) => offered.prompts.some((p) => p.name === name));
    return owner && { componentId: owner.componentId, prompt: owner.offered.prompts.find((p) => p.name === name)! };
  };

  server.setRequestHandler("prompts/get", async (request) => {
    const { name, arguments: args = {} } = request.params;
    const owner = promptOwner(name);
    if (!owner) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `no prompt "${name}": prompts/list shows what there is`);
    const missing = owner.prompt.arguments.filter((a) => a.required && args[a.name] === undefined).map((a) => a.name);
    if (missing.length > 0) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `prompt "${name}" needs the argument${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
    const messages = answer(await host.runExport(owner.componentId, [PROMPTS, "getPrompt"], [name, JSON.stringify(args)], `prompts/get ${name}`), owner.componentId, invalidParams);
    return {
      ...(owner.prompt.description ? { description: owner.prompt.description } : {}),
      messages: (messages as { role: "user" | "assistant"; content: Parameters<typeof toPromptContent>[0] }[]).map((m) => ({ role: m.role, content: toPromptContent(m.content) })),
    };
  });

  server.setRequestHandler("completion/complete", async (request) => {
    const { ref, argument } = request.params;
    // Resource templates offer no completions; prompts ask their component.
    const prompt = ref.type === "ref/prompt" ? ref.name : undefined;
    const owner = prompt === undefined ? undefined : promptOwner(prompt);
    if (!owner || prompt === undefined) return { completion: { values: [], total: 0, hasMore: false } };
    const outcome = await host.runExport(owner.componentId, [PROMPTS, "complete"], [prompt, argument.name, argument.value], `completion/complete ${prompt}`);
    const values = answer(outcome, owner.componentId, invalidParams) as string[];
    return { completion: { values: values.slice(0, 100), total: values.length, hasMore: values.length > 100 } };
  });
}

/** A URI as it appears in an error message: a guest or client could send a megabyte of one. */
const shown = (uri: string) => (uri.length > 200 ? `${uri.slice(0, 200)}... (${uri.length} characters)` : uri);

const invalidParams = (message: string) => new ProtocolError(ProtocolErrorCode.InvalidParams, message);

/** The value of a successful run; otherwise an MCP error that says what went wrong. */
function answer(outcome: CallOutcome, componentId: string, errorResult: (message: string) => ProtocolError): unknown {
  if (outcome.ok) return outcome.value;
  if (outcome.kind === "error-result") throw errorResult(String(outcome.payload));
  throw new ProtocolError(ProtocolErrorCode.InternalError, `${componentId} failed: ${outcome.message}`);
}
