// /console: the login exchange, then (with the session cookie only) the page, its JSON API and
// its live feed. http-server.ts mounts this after its Host and Origin checks and lets it stand in
// for the bearer token: a browser cannot send one, so the cookie from the login URL replaces it.
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { ComponentHost } from "../component-host.js";
import type { HostEvents } from "../mcp/host-events.js";
import { AuditTail } from "./audit-tail.js";
import { consoleApi } from "./console-api.js";
import { ConsoleAuth } from "./console-auth.js";
import { consoleEvents } from "./console-events.js";
import { loadConsoleFiles, setSecurityHeaders, type StaticFile } from "./console-static.js";

const LOGIN_HELP = "log in with the console URL airlock printed on stderr (a line starting with `airlock: console:`); each URL works once, and a fresh one is printed after it is used";

export function consoleRouter(host: ComponentHost, events: HostEvents, auth: ConsoleAuth): Router {
  const router = express.Router();
  // MCP is served even if the page was never built; /console then says what is missing.
  let files: Map<string, StaticFile> | undefined;
  let missing = "";
  try {
    files = loadConsoleFiles();
  } catch (error) {
    missing = (error as Error).message;
  }
  router.use((_req: Request, res: Response, next: NextFunction) => {
    setSecurityHeaders(res);
    next();
  });

  router.get("/login", (req: Request, res: Response) => {
    const session = auth.login(req.query.code);
    res.setHeader("cache-control", "no-store");
    if (session === undefined) return void res.status(403).type("text/plain").send(`this login code is wrong or was already used: ${LOGIN_HELP}\n`);
    res.setHeader("set-cookie", ConsoleAuth.cookieFor(session));
    res.redirect(303, "/console/");
  });

  router.use((req: Request, res: Response, next: NextFunction) => {
    const session = auth.session(req);
    res.setHeader("cache-control", "no-store");
    if (!session) {
      if (req.path.startsWith("/api/")) return void res.status(401).json({ error: `not logged in: ${LOGIN_HELP}` });
      return void res.status(401).type("text/plain").send(`not logged in: ${LOGIN_HELP}\n`);
    }
    if (!["GET", "HEAD"].includes(req.method)) {
      // The global check refused a foreign Origin; a change must also name its Origin (every
      // browser does on a POST) and carry the session's CSRF token.
      const origin = req.headers.origin;
      if (typeof origin !== "string" || !sameHost(origin, req.headers.host)) {
        return void res.status(403).json({ error: `a change needs the Origin header of this server's own page (got ${origin === undefined ? "none" : origin})` });
      }
      if (!ConsoleAuth.hasCsrf(req, session)) return void res.status(403).json({ error: "missing or wrong CSRF token: reload the console page and try again" });
    }
    res.locals.csrf = session.csrf;
    next();
  });

  router.get("/api/session", (_req: Request, res: Response) => void res.json({ csrf: res.locals.csrf as string }));
  router.get("/api/events", consoleEvents(events, new AuditTail(host.audit.file)));
  router.use("/api", consoleApi(host));
  router.use("/api", (_req: Request, res: Response) => void res.status(404).json({ error: "no such console API" }));

  router.get(/.*/, (req: Request, res: Response) => {
    if (req.originalUrl === "/console") return void res.redirect(301, "/console/");
    const path = req.path === "/" ? "index.html" : req.path.slice(1);
    if (!files) return void res.status(503).type("text/plain").send(`${missing}\n`);
    const file = files.get(path);
    if (!file) return void res.status(404).type("text/plain").send("not found\n");
    if (path.startsWith("assets/")) res.setHeader("cache-control", "private, max-age=31536000, immutable");
    res.type(file.type).send(file.body);
  });
  router.use((_req: Request, res: Response) => void res.status(404).type("text/plain").send("not found\n"));
  return router;
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/** /console and below: the console's own session cookie is checked there, not the bearer token. */
export function isConsolePath(url: string | undefined): boolean {
  return url !== undefined && /^\/console(?:[/?#]|$)/.test(url);
}
