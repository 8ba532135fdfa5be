// The real host: the `airlock` CLI of @airlock/host run as a child process with a temporary
// $AIRLOCK_HOME, and `airlock serve` connected to the MCP SDK client over stdio.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

const exec = promisify(execFile);

/** dist/cli.js of @airlock/host, beside the module its package exports. */
export function hostCli(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@airlock/host")), "cli.js");
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class HostHome {
  private constructor(
    readonly dir: string,
    private readonly cli: string,
  ) {}

  static async create(): Promise<HostHome> {
    return new HostHome(await mkdtemp(join(tmpdir(), "airlock-conformance-")), hostCli());
  }

  get env(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
    return { ...env, AIRLOCK_HOME: this.dir };
  }

  async run(...args: string[]): Promise<CliResult> {
    try {
      const { stdout, stderr } = await exec(process.execPath, [this.cli, ...args], { env: this.env, maxBuffer: 64 * 1024 * 1024 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string; message: string };
      return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? e.message };
    }
  }

  async serve(...flags: string[]): Promise<Served> {
    const transport = new StdioClientTransport({ command: process.execPath, args: [this.cli, "serve", ...flags], env: this.env, stderr: "pipe" });
    let stderr = "";
    transport.stderr?.on("data", (chunk: Buffer) => {
      if (stderr.length < 65_536) stderr += chunk.toString();
    });
    const client = new Client({ name: "airlock-conformance", version: "0.0.0" });
    await client.connect(transport);
    return new Served(client, () => stderr);
  }

  cleanup(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}

/** One `airlock serve` process and its MCP client. */
export class Served {
  constructor(
    readonly client: Client,
    readonly stderr: () => string,
  ) {}

  /** A tool call; a protocol error (unknown tool, closed connection) becomes an error result. */
  async call(name: string, args: Record<string, unknown>, timeoutMs = 60_000): Promise<CallToolResult> {
    try {
      return (await this.client.callTool({ name, arguments: args }, undefined, { timeout: timeoutMs })) as CallToolResult;
    } catch (error) {
      return { content: [{ type: "text", text: `MCP error: ${(error as Error).message}` }], isError: true, _meta: { "airlock-conformance/protocol-error": true } };
    }
  }

  async toolNames(): Promise<string[]> {
    return (await this.client.listTools()).tools.map((t) => t.name);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
