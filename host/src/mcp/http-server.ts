// Streamable HTTP at /mcp, both eras on one endpoint. A request that carries its protocol version
// in `_meta` (2026-07-28) is answered statelessly (modern-http.ts). Otherwise sessions
// (legacy-sessions.ts): `initialize` starts one; later requests, the GET stream and DELETE name
// it. Every request needs the bearer token (http-token.ts). A Host header naming neither this
// server nor an --allowed-host is refused (DNS rebinding), and so is a browser Origin other than
// this server's own or an allowed host's.
import type { Server as HttpServer, IncomingMessage, ServerResponse } from "node:http";
import { toWebRequest } from "@modelcontextprotocol/node";
import { isInitializeRequest, isLegacyRequest, type AuthInfo } from "@modelcontextprotocol/server";
import express from "express";
import type { ComponentHost } from "../component-host.js";
import type { ConsoleAuth } from "../console/console-auth.js";
import { consoleRouter, isConsolePath } from "../console/console-router.js";
import { answerInvalidMessages } from "./http-edge.js";
import type { HostEvents } from "./host-events.js";
import { hasToken } from "./http-token.js";
import { parseHost } from "./parse-host.js";
import { LegacySessions, type Session } from "./legacy-sessions.js";
import { createModernHttp } from "./modern-http.js";
import { isModernVersion } from "./protocol-versions.js";

type Req = IncomingMessage & { body?: unknown };
type Res = ServerResponse & { status(code: number): Res; json(body: unknown): void; type(type: string): Res; send(body: string): void };

export interface HttpOptions {
  /** The bearer token every request must carry; undefined only with --no-auth. */
  token: string | undefined;
  /** Further clients, each with its own token (a deployment file's server.clients): rate limits tell them apart. */
  clients?: { name: string; token: string }[];
  /** Whether the replica serves all it should (a deployment file); /readyz answers from it. */
  readiness?: { ready: boolean; text(): string };
  /** Where the token is kept, for the error message. */
  tokenFile?: string;
  /** Further names clients may use (a reverse proxy's): `NAME` (any port) or `NAME:PORT`. */
  allowedHosts?: string[];
  /** Sessions open at once; the one idle longest is closed to make room. */
  maxSessions?: number;
  /** A session unused this long is closed. */
  idleTimeoutMs?: number;
  /** A call still running after this long has its SSE stream closed; the client resumes it. */
  closeStreamsAfterMs?: number;
  /** The host's events (host-events.ts): every session and the 2026-07-28 listeners hear them. */
  events: HostEvents;
  /** Serve the permission console at /console, its login cookie standing in for the token there. */
  console?: ConsoleAuth;
}

export function startHttpServer(host: ComponentHost, hostname: string, port: number, options: HttpOptions): Promise<HttpServer> {
  const sessions = new LegacySessions(host, {
    maxSessions: options.maxSessions ?? 256,
    idleTimeoutMs: options.idleTimeoutMs ?? 30 * 60_000,
    closeStreamsAfterMs: options.closeStreamsAfterMs,
    events: options.events,
  });
  const modern = createModernHttp(host, options.events, (error) => console.error(`airlock: 2026-07-28 request: ${error.message}`));
  let listeningPort = port;
  const app = express();
  const allowed = (options.allowedHosts ?? []).map((entry) => {
    const parsed = parseHost(entry);
    if (!parsed) throw new Error(`not a host name: ${entry}`);
    return parsed;
  });
  // Loopback names are no DNS-rebinding risk (a rebinding page sends its own name), so they are
  // allowed whatever the bind address, on any port.
  const local = ["localhost", "127.0.0.1", "[::1]", parseHost(hostname)?.hostname ?? hostname];
  const isAllowed = (name: string, ports: string[]) => allowed.some((a) => a.hostname === name && (a.port === "" || ports.includes(a.port)));
  const refuse = (res: Res, code: number, message: string) => res.status(code).json({ jsonrpc: "2.0", error: { code: -32000, message }, id: null });
  // Probes for load balancers and Kubernetes: before the Host and token checks (a probe sends the
  // pod's address and no token), and saying nothing about what is served.
  app.get("/healthz", (_req: Req, res: Res) => void res.status(200).type("text/plain").send("ok\n"));
  app.get("/readyz", (_req: Req, res: Res) => {
    const readiness = options.readiness ?? { ready: true, text: () => "ready\n" };
    res
      .status(readiness.ready ? 200 : 503)
      .type("text/plain")
      .send(readiness.text());
  });
  const clients = [...(options.token === undefined ? [] : [{ name: "default", token: options.token }]), ...(options.clients ?? [])];
  // Before the body is read: an unauthenticated client gets nothing but this answer.
  app.use((req: Req, res: Res, next: () => void) => {
    const hostHeader = req.headers.host;
    const host = typeof hostHeader === "string" ? parseHost(hostHeader) : undefined;
    // No port in Host: the client used the default one, 80 or 443 (its scheme is unknown here).
    if (!host || !(local.includes(host.hostname) || isAllowed(host.hostname, host.port ? [host.port] : ["80", "443"]))) {
      const why = typeof hostHeader === "string" ? `Host ${hostHeader} is not allowed: start the server with --allowed-host if clients reach it under that name` : "missing Host header";
      return refuse(res, 403, why);
    }
    const origin = req.headers.origin;
    if (typeof origin === "string" && !isAllowedOrigin(origin, local, listeningPort, isAllowed)) {
      return refuse(res, 403, `origin ${origin} is not allowed`);
    }
    if (options.console && isConsolePath(req.url)) return next();
    if (options.token === undefined) return next();
    const client = clients.find((c) => hasToken(req.headers.authorization, c.token));
    // The SDK hands `req.auth` to request handlers: the client's name reaches rate limits.
    if (client) {
      (req as Req & { auth?: AuthInfo }).auth = { token: "", clientId: client.name, scopes: [] };
      return next();
    }
    res.setHeader("WWW-Authenticate", 'Bearer realm="airlock"');
    refuse(res, 401, `missing or wrong bearer token: send "Authorization: Bearer <token>" with the token in ${options.tokenFile ?? "$AIRLOCK_HOME/http-token"}`);
  });
  if (options.console) app.use("/console", consoleRouter(host, options.events, options.console));
  // Arguments (a document to check, say) can be large: allow what a stdio call allows in practice.
  app.use(express.json({ limit: "16mb" }));
  app.use(answerInvalidMessages);

  /** The session a request names; answers 400/404 itself when there is none. */
  const sessionOf = (req: Req, res: Res): Session | undefined => {
    const id = req.headers["mcp-session-id"];
    if (typeof id !== "string") return void refuse(res, 400, "no Mcp-Session-Id header: send initialize first to start a session");
    const session = sessions.get(id);
    if (!session) return void refuse(res, 404, "unknown or expired session: send initialize again");
    return session;
  };

  app.post("/mcp", async (req: Req, res: Res) => {
    try {
      // The SDK's own classification: a `_meta` claim (even a bad one, which the modern route
      // answers with the right error) is modern; initialize and claim-less requests are not.
      if (req.headers["mcp-session-id"] === undefined && !(await isLegacyRequest(await toWebRequest(req, req.body), req.body))) {
        await modern.handle(req, res, req.body);
        return;
      }
      if (req.headers["mcp-session-id"] !== undefined || !isInitializeRequest(req.body)) {
        await sessionOf(req, res)?.handle(req, res);
        return;
      }
      await sessions.start(req, res);
    } catch (error) {
      if (!res.headersSent) refuse(res, 500, (error as Error).message);
    }
  });
  // GET opens the session's stream for server-initiated messages; DELETE ends the session. The
  // 2026-07-28 era has neither.
  for (const method of ["get", "delete"] as const) {
    app[method]("/mcp", async (req: Req, res: Res) => {
      const version = req.headers["mcp-protocol-version"];
      if (req.headers["mcp-session-id"] === undefined && typeof version === "string" && isModernVersion(version)) {
        res.setHeader("Allow", "POST");
        return refuse(res, 405, `method not allowed: protocol ${version} sends every request as a POST`);
      }
      await sessionOf(req, res)?.handle(req, res);
    });
  }
  // Malformed JSON, a body over the limit: answer as JSON-RPC, never with an HTML error page.
  app.use((error: { status?: number; type?: string; message?: string }, _req: Req, res: Res, _next: unknown) => {
    const parse = error.type === "entity.parse.failed";
    res
      .status(error.status ?? 500)
      .json({ jsonrpc: "2.0", error: { code: parse ? -32700 : -32000, message: parse ? "parse error: the body is not valid JSON" : (error.message ?? "bad request") }, id: null });
  });
  return new Promise((resolve, reject) => {
    // Express 5 hands listen errors to this callback (and emits them too); [::1] is listened on as ::1.
    const server = app.listen(port, hostname.replace(/^\[(.*)\]$/, "$1"), (error?: Error) => {
      if (error) return reject(error);
      listeningPort = (server.address() as { port: number }).port;
      resolve(server);
    });
    server.once("error", reject);
    // Behind a load balancer that keeps connections to the replica open (HAProxy, a cloud load
    // balancer: idle timeouts up to 60 s), the replica must not be the side that closes an idle
    // one: Node's default of 5 s races the balancer reusing it, and the request sent on the
    // closing connection fails. Outlive the balancer instead.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    server.on("close", () => {
      sessions.closeAll();
      void modern.close();
    });
  });
}

/** A page of this very server (same host and port), or of an allowed host (a proxy's, say). */
function isAllowedOrigin(origin: string, local: string[], port: number, isAllowed: (name: string, ports: string[]) => boolean): boolean {
  try {
    const url = new URL(origin);
    if (url.port === String(port) && local.includes(url.hostname)) return true;
    const ports = [url.port || (url.protocol === "https:" ? "443" : "80")];
    return (url.protocol === "https:" || url.protocol === "http:") && isAllowed(url.hostname, ports);
  } catch {
    return false;
  }
}
