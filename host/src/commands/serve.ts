// airlock serve: MCP over stdio (or Streamable HTTP with --http), both protocol eras. Stdout
// carries only protocol messages, so everything the host itself prints goes to stderr, and
// guests' output becomes MCP log messages.
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { ComponentHost } from "../component-host.js";
import { UsageError, UserError } from "../errors.js";
import { takeLimitFlags } from "./host-options.js";
import { airlockHome } from "../home.js";
import { checkObservability, startObservability, takeObservabilityFlags } from "../observability/serve-options.js";
import { parseDuration } from "../policy/policy.js";
import { parseHost, startHttpServer } from "../mcp/http-server.js";
import { loadOrCreateToken, tokenFile } from "../mcp/http-token.js";
import { HostEvents } from "../mcp/host-events.js";
import { createMcpServer } from "../mcp/server.js";
import { notifyServer } from "../mcp/server-notifications.js";
import { StdioEras } from "../mcp/stdio-eras.js";
import { checkedStdioTransport } from "../mcp/stdio-transport.js";
import { watchStore } from "../store/store-watcher.js";

export async function serve(argv: string[]): Promise<void> {
  const { observability: observe, rest: flags } = takeObservabilityFlags(argv);
  const { limits, rest } = takeLimitFlags(flags);
  let http: { hostname: string; port: number } | undefined;
  let noAuth = false;
  const allowedHosts: string[] = [];
  let closeStreamsAfterMs: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === "--no-auth") noAuth = true;
    else if (arg === "--http" && !http) http = parseListen(rest[++i]);
    else if (arg === "--allowed-host") allowedHosts.push(parseAllowedHost(rest[++i]));
    else if (arg === "--close-streams-after") closeStreamsAfterMs = parseCloseAfter(rest[++i]);
    else throw new UsageError(`unexpected argument "${arg}" for serve`);
  }
  if (noAuth && !http) throw new UsageError("--no-auth only applies to --http");
  if (allowedHosts.length > 0 && !http) throw new UsageError("--allowed-host only applies to --http");
  if (closeStreamsAfterMs !== undefined && !http) throw new UsageError("--close-streams-after only applies to --http");
  checkObservability(observe, Boolean(http));
  // Before anything is loaded: a token file others control stops the start at once.
  const file = tokenFile(airlockHome().root);
  const token = http && !noAuth ? await loadOrCreateToken(file) : undefined;
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;

  // Guest output, component changes and audit records reach every connection through one path
  // (host-events.ts); guest output no connection hears is dropped.
  const events = new HostEvents((error) => console.error(`airlock: ${error.message}`));
  const observability = await startObservability(observe, (message) => console.error(`airlock: ${message}`));
  const host = new ComponentHost({
    home: airlockHome(),
    ...limits,
    ...observability.hostOptions,
    onWarning: (message) => console.error(`airlock: ${message}`),
    onGuestOutput: (output) => events.publish({ kind: "guest-output", ...output }),
    onAudit: (entries) => events.publish({ kind: "audit", entries }),
  });
  await host.loadAll();
  // Components loaded, rebuilt or unloaded by other processes are picked up while serving.
  const watcher = await watchStore(host, {
    onChange: ({ loaded, unloaded }) => {
      console.error(`airlock: store changed: ${[...loaded.map((id) => `reloaded ${id}`), ...unloaded.map((id) => `unloaded ${id}`)].join(", ")}`);
      events.componentsChanged({ loaded, unloaded });
    },
    onWarning: (message) => console.error(`airlock: ${message}`),
  });
  if (http) {
    const listening = await startHttpServer(host, http.hostname, http.port, { token, tokenFile: file, allowedHosts, closeStreamsAfterMs, events }).catch(async (error: Error) => {
      watcher.close();
      await host.close();
      throw new UserError(`cannot listen on ${http.hostname}:${http.port}: ${error.message}: pick another address or port (port 0 picks a free one)`);
    });
    const metricsUrl = await observability.listen().catch(async (error: Error) => {
      listening.close();
      watcher.close();
      await host.close();
      throw error;
    });
    const address = listening.address() as { port: number };
    // Before the line clients (and tests) wait for, so it is never missed.
    if (!isLoopback(http.hostname)) {
      console.error(
        `airlock: WARNING: serving on ${http.hostname}, which other machines can reach, over plain HTTP: ${token ? "the bearer token and every call travel" : "every call travels"} in clear text. ` +
          `Serve on loopback behind a TLS terminator (a reverse proxy such as Caddy or nginx) instead, e.g. airlock serve --http 127.0.0.1:8080 --allowed-host mcp.example.com (see "Streamable HTTP" in the host README)`,
      );
    }
    if (metricsUrl) console.error(`airlock: metrics for Prometheus at ${metricsUrl}`);
    console.error(`airlock: serving ${host.catalog.all().length} tools over Streamable HTTP at http://${http.hostname}:${address.port}/mcp`);
    console.error(
      token
        ? `airlock: clients must send "Authorization: Bearer <token>", with the token in ${file}`
        : "airlock: WARNING: --no-auth: any process that can reach this port can call the tools and change grants",
    );
    host.prepareAll();
    // Spans still buffered are exported before the process ends.
    const stop = () => host.close().then(() => observability.shutdown());
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop().then(() => process.exit(0)));
    return;
  }
  const shutdown = async () => {
    await host.close();
    await observability.shutdown();
    process.exit(0);
  };
  // One `airlock serve` answers both eras: the connection's first request decides (an old
  // client's initialize, or a 2026-07-28 request or server/discover probe). The SDK makes one
  // protocol server for the connection, and one more for a probe it drops if initialize follows.
  serveStdio(
    () => {
      const server = createMcpServer(host, { events });
      notifyServer(events, server);
      return server;
    },
    { transport: new StdioEras(checkedStdioTransport(), () => void shutdown()), onerror: (error) => console.error(`airlock: ${error.message}`) },
  );
  process.stdin.on("end", shutdown);
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
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

/** `NAME` or `NAME:PORT`: a name clients (through a reverse proxy, say) send in the Host header. */
function parseAllowedHost(value: string | undefined): string {
  if (value !== undefined && parseHost(value)) return value;
  throw new UsageError(`--allowed-host needs NAME or NAME:PORT, the host name clients use (not a URL), e.g. --allowed-host mcp.example.com${value === undefined ? "" : `; got "${value}"`}`);
}

/** How long a call may keep its SSE stream before the client is made to reconnect: `30s`, `500ms`. */
function parseCloseAfter(value: string | undefined): number {
  try {
    return parseDuration(value ?? "");
  } catch {
    throw new UsageError(`--close-streams-after needs a duration such as 30s or 500ms${value === undefined ? "" : `; got "${value}"`}`);
  }
}

/** 127.0.0.0/8, ::1 or localhost: the only binds no other machine can reach. */
const isLoopback = (hostname: string) => ["localhost", "[::1]", "::1"].includes(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
