// airlock call <id> <tool> --args '<json>': run one tool without MCP.
import { ComponentHost } from "../component-host.js";
import { UsageError, UserError } from "../errors.js";
import { airlockHome } from "../home.js";
import { takeLimitFlags } from "./host-options.js";
import { airlockCommand } from "../cli-command.js";
import { explainDenials } from "../policy/grant-hints.js";

export async function call(argv: string[]): Promise<void> {
  const { limits, rest: args } = takeLimitFlags(argv);
  const argsIndex = args.indexOf("--args");
  const positional = argsIndex === -1 ? args : args.slice(0, argsIndex);
  if (positional.length !== 2 || (argsIndex !== -1 && argsIndex + 1 >= args.length)) {
    throw new UsageError("usage: airlock call <id> <tool> --args '<json object>'");
  }
  const [id, toolName] = positional as [string, string];
  let parsed: unknown = {};
  if (argsIndex !== -1) {
    try {
      parsed = JSON.parse(args[argsIndex + 1]!);
    } catch (error) {
      throw new UsageError(`--args is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new UsageError('--args must be a JSON object, e.g. \'{"text": "hello"}\'');

  const host = new ComponentHost({
    home: airlockHome(),
    ...limits,
    onGuestOutput: ({ stream, line }) => console.error(`[${id} ${stream}] ${line}`),
  });
  try {
    await host.loadAll();
    const component = host.component(id);
    if (!component) throw new UserError(`no component "${id}" is loaded: ${airlockCommand()} list shows what is in the store`);
    if (!component.tools.some((t) => t.name === toolName)) {
      throw new UserError(`component "${id}" has no tool "${toolName}" (it has: ${component.tools.map((t) => t.name).join(", ")})`);
    }
    const outcome = await host.callTool(toolName, parsed as Record<string, unknown>, {
      onLog: (level, message) => console.error(`[${id} ${level}] ${message}`),
    });
    // A failure ends with what was denied and the exact grant that would allow it, as over MCP.
    const failed = (message: string) => new UserError([message, ...explainDenials(id, outcome.decisions ?? [])].join("\n"));
    switch (outcome.kind) {
      case "ok":
        console.log(JSON.stringify(outcome.json, null, 2));
        return;
      case "error-result":
        throw failed(`${toolName} returned an error: ${typeof outcome.json === "string" ? outcome.json : JSON.stringify(outcome.json)}`);
      case "content": {
        // A provider tool's result, as MCP would carry it.
        const { content, structured, isError } = outcome;
        if (isError) throw failed(`${toolName} failed: ${content.map((c) => (c.type === "text" ? c.text : `[${c.type}]`)).join(" ")}`);
        console.log(JSON.stringify({ content, ...(structured ? { structuredContent: structured } : {}) }, null, 2));
        return;
      }
      default:
        throw failed(outcome.message);
    }
  } finally {
    await host.close();
  }
}
