// Streamable HTTP at /mcp, stateless: each POST gets its own transport and protocol server over
// the one shared ComponentHost. The SDK's Host-header check refuses foreign hosts (DNS
// rebinding); a browser Origin that is not this host is refused too. Errors are JSON-RPC.
import type { Server as HttpServer } from "node:http";
import { hostHeaderValidation, localhostHostValidation } from "@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js";
import express from "express";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { ComponentHost } from "../component-host.js";
import { createMcpServer } from "./server.js";

type Req = { headers: Record<string, string | string[] | undefined>; body?: unknown };
type Res = { status(code: number): Res; json(body: unknown): void; on(event: "close", listener: () => void): void; headersSent: boolean };

export function startHttpServer(host: ComponentHost, hostname: string, port: number): Promise<HttpServer> {
  const app = express();
  app.use(["127.0.0.1", "localhost", "::1"].includes(hostname) ? localhostHostValidation() : hostHeaderValidation([hostname]));
  // Arguments (a document to check, say) can be large: allow what a stdio call allows in practice.
  app.use(express.json({ limit: "16mb" }));
  const refuse = (res: Res, code: number, message: string) => res.status(code).json({ jsonrpc: "2.0", error: { code: -32000, message }, id: null });

  app.post("/mcp", async (req: Req, res: Res) => {
    const origin = req.headers.origin;
    if (typeof origin === "string" && !isLocalOrigin(origin, hostname)) return refuse(res, 403, `origin ${origin} is not allowed`);
    const server = createMcpServer(host);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req as never, res as never, req.body);
    } catch (error) {
      if (!res.headersSent) refuse(res, 500, (error as Error).message);
    }
  });
  for (const method of ["get", "delete"] as const) {
    app[method]("/mcp", (_req: Req, res: Res) => refuse(res, 405, "this server is stateless: POST requests only"));
  }
  // Malformed JSON, a body over the limit: answer as JSON-RPC, never with an HTML error page.
  app.use((error: { status?: number; type?: string; message?: string }, _req: Req, res: Res, _next: unknown) => {
    const parse = error.type === "entity.parse.failed";
    res.status(error.status ?? 500).json({ jsonrpc: "2.0", error: { code: parse ? -32700 : -32000, message: parse ? "parse error: the body is not valid JSON" : (error.message ?? "bad request") }, id: null });
  });
  return new Promise((resolve, reject) => {
    const server = app.listen(port, hostname, () => resolve(server));
    server.once("error", reject);
  });
}

function isLocalOrigin(origin: string, hostname: string): boolean {
  try {
    const { hostname: originHost } = new URL(origin);
    return [hostname, "localhost", "127.0.0.1", "[::1]"].includes(originHost);
  } catch {
    return false;
  }
}
