// The permission console through a real `airlock serve --http`: its login URLs read from stderr as
// a person would, and raw HTTP requests (node:http: fetch() would not send a Host or Origin of
// our choosing) with the session cookie and CSRF token.
import { spawn, type ChildProcess } from "node:child_process";
import { request } from "node:http";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CLI, type TempHome } from "./airlock.js";

export interface ConsoleServer {
  port: number;
  origin: string;
  /** The bearer token MCP clients send. */
  token: string;
  process: ChildProcess;
  stderr(): string;
  /** The newest login URL printed on stderr, once it differs from `not` (a used one). */
  loginUrl(not?: string): Promise<string>;
  stop(): Promise<void>;
}

const LOGIN_LINE = /^airlock: console: (http:\/\/\S+\/console\/login\?code=\S+)$/gm;

export async function startConsole(home: TempHome, ...args: string[]): Promise<ConsoleServer> {
  const child = spawn(process.execPath, [CLI, "serve", "--http", "127.0.0.1:0", ...args], { env: home.env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  const waiters: (() => void)[] = [];
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += String(chunk);
    for (const wake of waiters.splice(0)) wake();
  });
  const port = await new Promise<number>((resolve, reject) => {
    const check = () => {
      const match = /over Streamable HTTP at http:\/\/127\.0\.0\.1:(\d+)\/mcp/.exec(stderr);
      if (match) resolve(Number(match[1]));
      else waiters.push(check);
    };
    check();
    child.once("exit", (code) => reject(new Error(`airlock serve --http exited with ${code}: ${stderr}`)));
  });
  const latest = () => [...stderr.matchAll(LOGIN_LINE)].at(-1)?.[1];
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    token: (await readFile(join(home.dir, "http-token"), "utf8")).trim(),
    process: child,
    stderr: () => stderr,
    loginUrl: (not) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no fresh console login URL on stderr: ${stderr}`)), 10_000);
        const check = () => {
          const url = latest();
          if (url && url !== not) {
            clearTimeout(timer);
            resolve(url);
          } else waiters.push(check);
        };
        check();
      }),
    stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once("exit", () => resolve()), child.kill()))),
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request to 127.0.0.1:port; `headers` may set Host and Origin. */
export function raw(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Logs in with the URL printed on stderr: the session cookie and its CSRF token. */
export async function login(server: ConsoleServer): Promise<{ cookie: string; csrf: string; used: string }> {
  const url = new URL(await server.loginUrl());
  const answer = await raw(server.port, "GET", url.pathname + url.search);
  if (answer.status !== 303) throw new Error(`login answered ${answer.status}: ${answer.body}`);
  const cookie = String(answer.headers["set-cookie"]).split(";")[0]!;
  const session = await raw(server.port, "GET", "/console/api/session", { cookie });
  return { cookie, csrf: (JSON.parse(session.body) as { csrf: string }).csrf, used: url.href };
}

export interface Feed {
  events: { event: string; data: Record<string, unknown> }[];
  /** Resolves with the first event `match` accepts, already received or still to come. */
  waitFor(match: (e: { event: string; data: Record<string, unknown> }) => boolean, timeoutMs?: number): Promise<{ event: string; data: Record<string, unknown> }>;
  close(): void;
}

/** The console's live feed (server-sent events), read as the page's EventSource reads it. */
export async function openFeed(server: ConsoleServer, cookie: string): Promise<Feed> {
  const events: Feed["events"] = [];
  const waiters = new Set<() => void>();
  const req = request({ host: "127.0.0.1", port: server.port, path: "/console/api/events", headers: { cookie } });
  await new Promise<void>((resolve, reject) => {
    req.on("response", (res) => {
      if (res.headers["content-type"] !== "text/event-stream; charset=utf-8") reject(new Error(`not an event stream: ${res.statusCode} ${res.headers["content-type"]}`));
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
        }
        for (const wake of [...waiters]) wake();
      });
      resolve();
    });
    req.on("error", reject);
    req.end();
  });
  return {
    events,
    waitFor: (match, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no such event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
        }, timeoutMs);
        const check = () => {
          const found = events.find(match);
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
      }),
    close: () => req.destroy(),
  };
}
