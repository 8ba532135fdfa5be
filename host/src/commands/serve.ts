// airlock serve: MCP over stdio. Stdout carries only protocol messages, so everything the host
// itself prints goes to stderr, and guests' output becomes MCP log messages.
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { ComponentHost } from "../component-host.js";
import { UsageError } from "../errors.js";
import { takeLimitFlags } from "./host-options.js";
import { airlockHome } from "../home.js";
import { startHttpServer } from "../mcp/http-server.js";
import { loadOrCreateToken, tokenFile } from "../mcp/http-token.js";
import { createMcpServer, forwardGuestOutput } from "../mcp/server.js";
import { watchStore } from "../store/store-watcher.js";

export async function serve(argv: string[]): Promise<void> {
  const { limits, rest } = takeLimitFlags(argv);
  const noAuth = rest.includes("--no-auth");
  const withoutNoAuth = rest.filter((a) => a !== "--no-auth");
  const httpIndex = withoutNoAuth.indexOf("--http");
  const http = httpIndex === -1 ? undefined : parseListen(withoutNoAuth[httpIndex + 1]);
  const args = httpIndex === -1 ? withoutNoAuth : withoutNoAuth.filter((_, i) => i !== httpIndex && i !== httpIndex + 1);
  if (noAuth && !http) throw new UsageError("--no-auth only applies to --http");
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
    onGuestOutput: ({ componentId, stream, line }) =>
      server ? forwardGuestOutput(server, componentId, stream, line) : console.error(`[${componentId} ${stream}] ${line}`),
  });
  await host.loadAll();
  // Components loaded, rebuilt or unloaded by other processes are picked up while serving.
  await watchStore(host, {
    onChange: ({ loaded, unloaded }) => {
      console.error(`airlock: store changed: ${[...loaded.map((id) => `reloaded ${id}`), ...unloaded.map((id) => `unloaded ${id}`)].join(", ")}`);
      if (server) void server.sendToolListChanged().catch(() => undefined);
    },
    onWarning: (message) => console.error(`airlock: ${message}`),
  });
  if (http) {
    const file = tokenFile(airlockHome().root);
    const token = noAuth ? undefined : await loadOrCreateToken(file);
    const listening = await startHttpServer(host, http.hostname, http.port, { token, tokenFile: file });
    const address = listening.address() as { port: number };
    console.error(`airlock: serving ${host.catalog.all().length} tools over Streamable HTTP at http://${http.hostname}:${address.port}/mcp`);
    console.error(
      token
        ? `airlock: clients must send "Authorization: Bearer <token>", with the token in ${file}`
        : "airlock: WARNING: --no-auth: any process that can reach this port can call the tools and change grants",
    );
    host.prepareAll();
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void host.close().then(() => process.exit(0)));
    return;
  }
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
  // Answer the client's first requests first: components are prepared once it has listed the
  // tools, or after a second at the latest.
  setTimeout(() => host.prepareAll(), 1000);
  const tools = host.catalog.all().length;
  console.error(`airlock: serving ${tools} tool${tools === 1 ? "" : "s"} from ${host.componentIds().length} component(s) over stdio (store: ${airlockHome().root})`);
}

/** `127.0.0.1:8080`, `localhost:0` (a free port) or `8080` (on 127.0.0.1). */
function parseListen(value: string | undefined): { hostname: string; port: number } {
  const match = value ? /^(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})$/.exec(value) : null;
  if (!match) throw new UsageError("--http needs HOST:PORT, e.g. --http 127.0.0.1:8080 (port 0 picks a free one)");
  return { hostname: match[1] ?? "127.0.0.1", port: Number(match[2]) };
}
