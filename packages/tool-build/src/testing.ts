// loadTool: a built component behind the real host, for a tool's own tests. Unit tests run the
// tool's code in Node; this runs the component in its engine. The component is loaded into a
// temporary $AIRLOCK_HOME with `airlock load` (and `airlock grant`), and called through
// `airlock serve` by the MCP SDK's client: no mocks. It lives here rather than in
// @airlock/conformance because every tool already depends on this package, and the host's own
// tests depend on a tool (a dependency on the conformance kit would make a cycle).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { findAirlockCli } from "./watch.js";

const exec = promisify(execFile);

export interface ToolGrants {
  /** Folders or files the component may use: `airlock grant <id> storage <path> --access ...`. */
  storage?: { path: string; access?: ("read" | "write")[] }[];
  /** Hosts it may reach (`example.com`, `127.0.0.1:8080`). */
  network?: string[];
  /** Environment variables it may read. */
  environment?: string[];
}

export interface LoadToolOptions {
  grants?: ToolGrants;
  /** Extra flags for `airlock serve`, such as `["--timeout", "5s"]`. */
  serveFlags?: string[];
}

/** A call that came back `isError`: a WIT error result, a trap, refused arguments or a limit. */
export class ToolCallError extends Error {
  override name = "ToolCallError";
  constructor(
    readonly tool: string,
    readonly result: CallToolResult,
  ) {
    super(`${tool} failed: ${textOf(result)}`);
  }

  /** The WIT error value of an error result (`structuredContent.error`), if that is what came back. */
  get error(): unknown {
    return (this.result.structuredContent as { error?: unknown } | undefined)?.error;
  }
}

export interface LoadedTool {
  /** The id the host gave the component: its file name without `.wasm`. */
  readonly id: string;
  /** Calls a tool: its result (`structuredContent.result`, or the text for a tool without one); rejects with ToolCallError. */
  call(tool: string, args?: Record<string, unknown>): Promise<unknown>;
  /** The MCP result as it came (content, isError, structuredContent, _meta). */
  callRaw(tool: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** What the host wrote to stderr so far (guest output, warnings). */
  stderr(): string;
  /** Stops `airlock serve` and removes the temporary home. */
  close(): Promise<void>;
}

/** Loads `component` (a .wasm file) into a fresh host and serves it over MCP. */
export async function loadTool(component: string, options: LoadToolOptions = {}): Promise<LoadedTool> {
  const file = resolve(component);
  if (!existsSync(file)) throw new Error(`${file} does not exist: build the tool first (pnpm build)`);
  const id = basename(file).replace(/\.wasm$/, "");
  const [command, ...prefix] = findAirlockCli(file) as [string, ...string[]];
  const home = await mkdtemp(join(tmpdir(), `airlock-test-${id}-`));
  const env = { ...(process.env as Record<string, string>), AIRLOCK_HOME: home };
  const airlock = async (...args: string[]) => {
    try {
      await exec(command, [...prefix, ...args], { env });
    } catch (error) {
      throw new Error(`airlock ${args.join(" ")} failed: ${((error as { stderr?: string }).stderr || (error as Error).message).trim()}`, { cause: error });
    }
  };
  let stderr = "";
  const client = new Client({ name: "airlock-tool-test", version: "0.0.0" });
  try {
    await airlock("load", file, "--quiet");
    for (const g of options.grants?.storage ?? []) await airlock("grant", id, "storage", resolve(g.path), "--access", (g.access ?? ["read"]).join(","));
    for (const host of options.grants?.network ?? []) await airlock("grant", id, "network", host);
    for (const key of options.grants?.environment ?? []) await airlock("grant", id, "env", key);
    const transport = new StdioClientTransport({ command, args: [...prefix, "serve", ...(options.serveFlags ?? [])], env, stderr: "pipe" });
    transport.stderr?.on("data", (chunk: Buffer) => {
      if (stderr.length < 65_536) stderr += chunk.toString();
    });
    await client.connect(transport);
  } catch (error) {
    await client.close().catch(() => undefined);
    await rm(home, { recursive: true, force: true });
    throw error;
  }
  const callRaw = async (tool: string, args: Record<string, unknown> = {}) => (await client.callTool({ name: tool, arguments: args })) as CallToolResult;
  return {
    id,
    callRaw,
    async call(tool, args = {}) {
      const result = await callRaw(tool, args);
      if (result.isError) throw new ToolCallError(tool, result);
      const structured = result.structuredContent as { result?: unknown } | undefined;
      return structured && "result" in structured ? structured.result : textOf(result);
    },
    stderr: () => stderr,
    async close() {
      await client.close().catch(() => undefined);
      await rm(home, { recursive: true, force: true });
    },
  };
}

function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === "text" ? c.text : `[${c.type}]`)).join("\n");
}
