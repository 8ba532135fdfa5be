// airlock serve: MCP over stdio (or Streamable HTTP with --http), both protocol eras. Stdout
// carries only protocol messages, so everything the host itself prints goes to stderr, and
// guests' output becomes MCP log messages.
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { ComponentHost, type HostOptions } from "../component-host.js";
import { readDeploymentFile, type Deployment } from "../deployment/deployment-file.js";
import { DeploymentRunner } from "../deployment/deployment-runner.js";
import { markManaged } from "../store/managed-store.js";
import { UsageError, UserError } from "../errors.js";
import { takeLimitFlags } from "./host-options.js";
import { airlockHome } from "../home.js";
import { checkObservability, startObservability, takeObservabilityFlags } from "../observability/serve-options.js";
import { parseDuration } from "../policy/policy.js";
import { ConsoleAuth } from "../console/console-auth.js";
import { parseHost } from "../mcp/parse-host.js";
import { loadOrCreateToken, readProvidedToken, tokenFile } from "../mcp/http-token.js";
import { HostEvents } from "../mcp/host-events.js";
import { createMcpServer } from "../mcp/server.js";
import { notifyServer } from "../mcp/server-notifications.js";
import { StdioEras } from "../mcp/stdio-eras.js";
import { checkedStdioTransport } from "../mcp/stdio-transport.js";
import { watchStore } from "../store/store-watcher.js";
import { tuneAllocator } from "../glibc-allocator.js";

/** `tuned`: what cli.ts did to glibc's allocator before serve's modules loaded, said on stderr. */
export async function serve(argv: string[], tuned: string = tuneAllocator()): Promise<void> {
  const { observability: observe, rest: flags } = takeObservabilityFlags(argv);
  const { limits, rest } = takeLimitFlags(flags);
  let http: { hostname: string; port: number } | undefined;
  let noAuth = false;
  const allowedHosts: string[] = [];
  let closeStreamsAfterMs: number | undefined;
  let configFile: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === "--no-auth") noAuth = true;
    else if (arg === "--config" && configFile === undefined) configFile = requireValue(rest[++i], "--config needs the deployment file, e.g. --config airlock.yaml");
    else if (arg === "--http" && !http) http = parseListen(rest[++i]);
    else if (arg === "--allowed-host") allowedHosts.push(parseAllowedHost(rest[++i]));
    else if (arg === "--close-streams-after") closeStreamsAfterMs = parseCloseAfter(rest[++i]);
    else throw new UsageError(`unexpected argument "${arg}" for serve`);
  }
  if (noAuth && !http) throw new UsageError("--no-auth only applies to --http");
  if (allowedHosts.length > 0 && !http) throw new UsageError("--allowed-host only applies to --http");
  if (closeStreamsAfterMs !== undefined && !http) throw new UsageError("--close-streams-after only applies to --http");
  // A deployment file is the one place for what it covers: flags that would override it are refused.
  const deployment = configFile === undefined ? undefined : await readDeploymentFile(configFile);
  if (deployment) {
    const given = [
      ...Object.keys(limits).map((key) => LIMIT_FLAG_OF[key as keyof typeof limits]),
      ...(allowedHosts.length > 0 ? ["--allowed-host"] : []),
      ...(observe.metricsListen !== undefined ? ["--metrics"] : []),
      ...(observe.audit !== undefined ? ["--audit"] : []),
    ];
    if (given.length > 0) {
      throw new UsageError(`${given.join(", ")} cannot be combined with --config: set them in ${deployment.file} (server.limits, server.allowedHosts, server.metrics, server.audit)`);
    }
    allowedHosts.push(...deployment.allowedHosts);
    if (deployment.metricsListen !== undefined) observe.metricsListen = deployment.metricsListen;
    observe.audit = deployment.audit;
  }
  checkObservability(observe, Boolean(http));
  console.error(`airlock: ${tuned}`);
  // Before anything is loaded: a token file others control stops the start at once.
  const file = deployment?.tokenFile ?? tokenFile(airlockHome().root);
  const token = !http || noAuth ? undefined : deployment?.tokenFile ? await readProvidedToken(deployment.tokenFile, "server.tokenFile") : await loadOrCreateToken(file);
  const clients =
    http && !noAuth && deployment ? await Promise.all(deployment.clients.map(async (c, i) => ({ name: c.name, token: await readProvidedToken(c.tokenFile, `server.clients.${i}.tokenFile`) }))) : [];
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
    ...(deployment ? deploymentLimits(deployment) : {}),
    ...observability.hostOptions,
    onWarning: (message) => console.error(`airlock: ${message}`),
    onGuestOutput: (output) => events.publish({ kind: "guest-output", ...output }),
    onAudit: (entries) => events.publish({ kind: "audit", entries }),
    onCall: (call) => events.publish({ kind: "call", ...call }),
  });
  const log = (message: string) => console.error(`airlock: ${message}`);
  const runner = deployment ? new DeploymentRunner(host, deployment, { events, log }) : undefined;
  if (deployment) await markManaged(airlockHome().root, deployment.file);
  // A replica serves what its file names once it is fetched and verified (runner.start()), never
  // a stale store in the meantime.
  else await host.loadAll();
  // Components loaded, rebuilt or unloaded by other processes are picked up while serving.
  const watcher = await watchStore(host, {
    onChange: ({ loaded, unloaded }) => {
      console.error(`airlock: store changed: ${[...loaded.map((id) => `reloaded ${id}`), ...unloaded.map((id) => `unloaded ${id}`)].join(", ")}`);
      events.componentsChanged({ loaded, unloaded });
    },
    onWarning: (message) => console.error(`airlock: ${message}`),
  });
  if (http) {
    // The permission console's login URLs (a fresh one after each use) go to stderr. Not for a
    // replica: its file is the truth for grants, and a cluster's log collector would carry the codes.
    const consoleAuth = deployment ? undefined : new ConsoleAuth((url) => console.error(`airlock: console: ${url}`));
    // Imported only here: express and the HTTP transports cost ~0.15 s of a stdio start.
    const { startHttpServer } = await import("../mcp/http-server.js");
    const listening = await startHttpServer(host, http.hostname, http.port, {
      ...(consoleAuth ? { console: consoleAuth } : {}),
      token,
      tokenFile: file,
      clients,
      allowedHosts,
      closeStreamsAfterMs,
      events,
      ...(runner ? { readiness: runner.readiness } : {}),
    }).catch(async (error: Error) => {
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
    consoleAuth?.listening(`http://${["0.0.0.0", "[::]"].includes(http.hostname) ? "127.0.0.1" : http.hostname}:${address.port}`);
    console.error(`airlock: serving ${host.catalog.all().length} tools over Streamable HTTP at http://${http.hostname}:${address.port}/mcp`);
    console.error(
      token
        ? `airlock: clients must send "Authorization: Bearer <token>", with the token in ${file}`
        : "airlock: WARNING: --no-auth: any process that can reach this port can call the tools and change grants",
    );
    if (runner) void runner.start();
    else host.prepareAll();
    // Spans still buffered are exported before the process ends.
    const stop = () => {
      runner?.close();
      return host.close().then(() => observability.shutdown());
    };
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop().then(() => process.exit(0)));
    return;
  }
  // Over stdio there is no probe to wait on: the file is applied before the first request is read.
  await runner?.start();
  const shutdown = async () => {
    runner?.close();
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

function requireValue(value: string | undefined, message: string): string {
  if (value === undefined || value.startsWith("--")) throw new UsageError(message);
  return value;
}

const LIMIT_FLAG_OF = {
  timeoutMs: "--timeout",
  memoryLimitBytes: "--memory",
  maxResultBytes: "--max-result",
  maxInputBytes: "--max-input",
  poolSize: "--workers",
  maxQueue: "--max-queue",
  idleStopMs: "--idle-stop",
} as const;

function deploymentLimits(deployment: Deployment): Partial<HostOptions> {
  const { rate, ...limits } = deployment.limits;
  return { ...limits, ...(rate ? { rateLimit: rate } : {}) };
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
