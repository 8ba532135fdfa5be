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
