// A static HTTP server on 127.0.0.1 for tools that fetch: it serves <tool>/conformance/www/ so
// cases can run offline. `/redirect/<path>` answers 302 to `/<path>`; a file's media type comes
// from its extension. `/redirect?to=<url>` answers 302 to any URL, to test redirects that leave
// the granted host.
import { createServer, type Server } from "node:http";
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".css": "text/css",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".pdf": "application/pdf",
};

export interface StaticServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `127.0.0.1:<port>`, the host to grant. */
  host: string;
  close(): Promise<void>;
}

export async function serveDirectory(root: string): Promise<StaticServer> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    const path = decodeURIComponent(url.pathname);
    if (path === "/redirect" && url.searchParams.has("to")) {
      response.writeHead(302, { location: url.searchParams.get("to")! }).end();
      return;
    }
    if (path.startsWith("/redirect/")) {
      response.writeHead(302, { location: path.slice("/redirect".length) }).end();
      return;
    }
    const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
    if (!file.startsWith(root + sep)) {
      response.writeHead(403).end("outside the served folder");
      return;
    }
    readFile(file).then(
      (body) => response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body),
      () => response.writeHead(404, { "content-type": "text/plain" }).end(`not found: ${path}`),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
