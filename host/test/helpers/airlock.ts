// Test helpers: a temporary $AIRLOCK_HOME, the real CLI, and real MCP clients: the v1 SDK's (a
// 2025-era client, over stdio) and the v2 SDK's pinned to 2026-07-28.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Client as ModernClient, StreamableHTTPClientTransport as ModernHttpTransport, type ClientCapabilities } from "@modelcontextprotocol/client";
import { StdioClientTransport as ModernStdioTransport } from "@modelcontextprotocol/client/stdio";

// The bundle the bin runs (scripts/bundle-cli.mjs), so that every test runs what users run.
export const CLI = join(import.meta.dirname, "..", "..", "dist", "cli.bundle.js");
export const GRAMMAR_CHECKER = join(import.meta.dirname, "..", "..", "..", "tools", "grammar-checker", "dist", "grammar-checker.wasm");

const exec = promisify(execFile);

export interface TempHome {
  dir: string;
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

export async function tempHome(): Promise<TempHome> {
  const dir = await mkdtemp(join(tmpdir(), "airlock-test-"));
  return { dir, env: { ...process.env, AIRLOCK_HOME: dir }, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function airlock(home: TempHome, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { env: home.env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

export interface Connected {
  client: Client;
  /** The host process. */
  pid: number | undefined;
  /** Everything the server wrote to stderr. */
  stderr: () => string;
  /** Errors the client met reading the protocol stream (garbage on stdout shows up here). */
  protocolErrors: Error[];
  close(): Promise<void>;
}

export async function connect(home: TempHome, ...serveArgs: string[]): Promise<Connected> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, "serve", ...serveArgs],
    env: home.env as Record<string, string>,
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: "airlock-test", version: "0.0.0" });
  const protocolErrors: Error[] = [];
  client.onerror = (error) => protocolErrors.push(error);
  await client.connect(transport);
  return { client, pid: transport.pid ?? undefined, stderr: () => stderr, protocolErrors, close: () => client.close() };
}

export const fixture = (name: string) => join(import.meta.dirname, "..", "fixtures", name, "dist", `${name}.wasm`);

/** A temporary store holding the given components, served over stdio to a real MCP client. */
export async function serveComponents(...files: string[]): Promise<{ home: TempHome; mcp: Connected; cleanup(): Promise<void> }> {
  const home = await tempHome();
  for (const file of files) {
    const loaded = await airlock(home, "load", file);
    if (loaded.code !== 0) throw new Error(`airlock load ${file} failed: ${loaded.stderr}`);
  }
  const mcp = await connect(home);
  return {
    home,
    mcp,
    cleanup: async () => {
      await mcp.close();
      await home.cleanup();
    },
  };
}

/** `airlock serve --http 127.0.0.1:0` on the store of `home`; resolves with its /mcp URL and token, and what it printed so far. */
export async function serveHttp(home: TempHome, ...args: string[]): Promise<{ url: string; token: string | undefined; process: ChildProcess; stdout(): string; stderr(): string; stop(): void }> {
  const server = spawn(process.execPath, [CLI, "serve", "--http", "127.0.0.1:0", ...args], { env: home.env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  let stdout = "";
  server.stdout!.on("data", (chunk: Buffer) => (stdout += String(chunk)));
  const url = await new Promise<string>((resolve, reject) => {
    server.stderr!.on("data", (chunk: Buffer) => {
      stderr += String(chunk);
      const match = /at (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    server.once("exit", (code) => reject(new Error(`airlock serve --http exited with ${code}: ${stderr}`)));
  });
  const token = args.includes("--no-auth") ? undefined : (await readFile(join(home.dir, "http-token"), "utf8")).trim();
  return { url, token, process: server, stdout: () => stdout, stderr: () => stderr, stop: () => server.kill() };
}

/** The v1 SDK's client connected over Streamable HTTP to a server serveHttp started, with its token. */
export async function connectHttp(server: { url: string; token: string | undefined }, name: string): Promise<Client> {
  const client = new Client({ name, version: "0" });
  const headers: Record<string, string> = server.token ? { authorization: `Bearer ${server.token}` } : {};
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers } }));
  return client;
}

/** The /metrics URL a `serve --metrics 127.0.0.1:0` printed. */
export function metricsUrlOf(server: { stderr(): string }): string {
  return /metrics for Prometheus at (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(server.stderr())![1]!;
}

/** The sum of a metric's samples for one component (over its other labels), scraped from `url`. */
export async function metricSum(url: string, name: string, component: string): Promise<number> {
  const text = await (await fetch(url)).text();
  return text
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) && line.includes(`component="${component}"`))
    .reduce((sum, line) => sum + Number(line.split(" ").pop()), 0);
}

/** The v2 SDK's client pinned to the 2026-07-28 revision: no initialize, `_meta` on every request. */
export function modernClient(capabilities: ClientCapabilities = {}): ModernClient {
  return new ModernClient({ name: "airlock-test-modern", version: "0.0.0" }, { capabilities, versionNegotiation: { mode: { pin: "2026-07-28" } } });
}

/** A pinned v2 client over Streamable HTTP with the server's bearer token; `fetch` may reroute requests. */
export async function connectModernHttp(url: string, token: string | undefined, options: { capabilities?: ClientCapabilities; fetch?: typeof fetch } = {}): Promise<ModernClient> {
  const client = modernClient(options.capabilities);
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  await client.connect(new ModernHttpTransport(new URL(url), { requestInit: { headers }, ...(options.fetch ? { fetch: options.fetch } : {}) }));
  return client;
}

/** `airlock serve` over stdio to a v2 client pinned to 2026-07-28 (or negotiating, with `mode: "auto"`). */
export async function connectModernStdio(home: TempHome, options: { capabilities?: ClientCapabilities; mode?: "auto" } = {}): Promise<ModernClient> {
  const client =
    options.mode === "auto"
      ? new ModernClient({ name: "airlock-test-modern", version: "0.0.0" }, { capabilities: options.capabilities ?? {}, versionNegotiation: { mode: "auto" } })
      : modernClient(options.capabilities);
  await client.connect(new ModernStdioTransport({ command: process.execPath, args: [CLI, "serve"], env: home.env as Record<string, string>, stderr: "ignore" }));
  return client;
}
