// Streamable HTTP at /mcp, stateless: each POST gets its own transport and protocol server over
// the one shared ComponentHost. The SDK's express app refuses foreign Host headers (DNS
// rebinding); a browser Origin that is not this host is refused too.
import type { Server as HttpServer } from "node:http";
import { createMcpExpressApp } from "@modelcontextprotocol/sdk/server/express.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { ComponentHost } from "../component-host.js";
import { createMcpServer } from "./server.js";

type Req = { headers: Record<string, string | string[] | undefined>; body?: unknown };
type Res = { status(code: number): Res; json(body: unknown): void; on(event: "close", listener: () => void): void; headersSent: boolean };

export function startHttpServer(host: ComponentHost, hostname: string, port: number): Promise<HttpServer> {
  const app = createMcpExpressApp({ host: hostname });
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
