// Real HTTP servers on 127.0.0.1 for tests, counting the requests each path receives.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Route = (req: IncomingMessage, res: ServerResponse, server: TestServer) => void;

export interface TestServer {
  port: number;
  origin: string;
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startServer(routes: Record<string, Route>): Promise<TestServer> {
  const hits = new Map<string, number>();
  const self = { hits } as TestServer;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes[path];
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    route(req, res, self);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(self, {
    port,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

export const text =
  (body: string, type = "text/plain; charset=utf-8", status = 200): Route =>
  (_req, res) => {
    res.writeHead(status, { "content-type": type }).end(body);
  };

export const redirect =
  (location: string | ((s: TestServer) => string), status = 302): Route =>
  (_req, res, s) => {
    res.writeHead(status, { location: typeof location === "string" ? location : location(s) }).end();
  };
