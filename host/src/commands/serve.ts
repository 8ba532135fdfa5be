// airlock serve: MCP over stdio. Stdout carries only protocol messages, so everything the host
// itself prints goes to stderr, and guests' output becomes MCP log messages.
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { ComponentHost } from "../component-host.js";
import { UsageError } from "../errors.js";
import { takeLimitFlags } from "./host-options.js";
import { airlockHome } from "../home.js";
import { createMcpServer, forwardGuestOutput } from "../mcp/server.js";

export async function serve(argv: string[]): Promise<void> {
  const { limits, rest: args } = takeLimitFlags(argv);
  if (args.includes("--http")) throw new UsageError("--http is not available yet: serve over stdio (the default)");
  if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}" for serve`);
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;

  // The host forwards guest output to the server, which is created from the host: declared first.
  // eslint-disable-next-line prefer-const
  let server: Server | undefined;
  const host = new ComponentHost({
    home: airlockHome(),
    ...limits,
    onWarning: (message) => console.error(`airlock: ${message}`),
    onGuestOutput: ({ componentId, stream, line }) => server && forwardGuestOutput(server, componentId, stream, line),
  });
  await host.loadAll();
  server = createMcpServer(host);
  const transport = new StdioServerTransport();
  const shutdown = async () => {
    await host.close();
    process.exit(0);
  };
  transport.onclose = shutdown;
  process.stdin.on("end", shutdown);
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  await server.connect(transport);
  const tools = host.catalog.all().length;
  console.error(`airlock: serving ${tools} tool${tools === 1 ? "" : "s"} from ${host.componentIds().length} component(s) over stdio (store: ${airlockHome().root})`);
}
