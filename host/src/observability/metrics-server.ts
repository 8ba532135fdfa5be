// The metrics listener (serve --metrics HOST:PORT): GET /metrics answers the Prometheus text,
// everything else 404. It is a listener of its own, not a path of the MCP port, so a scraper needs
// no bearer token and the MCP port exposes nothing new; its only protection is its bind address.
import { createServer, type Server } from "node:http";
import type { HostMetrics } from "./metrics.js";

export interface Listen {
  hostname: string;
  port: number;
}

/** Listens on `listen` (port 0 picks a free one); resolves once listening. */
export function startMetricsServer(metrics: HostMetrics, listen: Listen): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found: this listener serves only GET /metrics (Prometheus text); MCP is on the --http address\n");
      return;
    }
    metrics.exposition().then(
      ({ contentType, text }) => res.writeHead(200, { "content-type": contentType }).end(req.method === "HEAD" ? undefined : text),
      (error: Error) => res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end(`metrics could not be collected: ${error.message}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    // [::1] is listened on as ::1.
    server.listen(listen.port, listen.hostname.replace(/^\[(.*)\]$/, "$1"), () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}
