// Credentials never follow a redirect to another origin: a registry redirects a blob download
// to a second server (another port on 127.0.0.1, so another origin) that records what it got.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { send } from "../src/index.js";

let registry: Server;
let cdn: Server;
let cdnPort = 0;
let registryPort = 0;
const seen: { path: string; headers: IncomingHttpHeaders }[] = [];

const listen = async (server: Server) => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as { port: number }).port;
};

beforeAll(async () => {
  cdn = createServer((req, res) => {
    seen.push({ path: req.url ?? "", headers: req.headers });
    res.end("blob");
  });
  cdnPort = await listen(cdn);
  registry = createServer((req, res) => {
    seen.push({ path: req.url ?? "", headers: req.headers });
    if (req.url === "/same-origin") res.writeHead(307, { location: "/landed" }).end();
    else if (req.url === "/landed") res.end("same");
    else res.writeHead(307, { location: `http://127.0.0.1:${cdnPort}/blob` }).end();
  });
  registryPort = await listen(registry);
});
afterAll(() => {
  registry.close();
  cdn.close();
});

it("drops Authorization when a redirect leads to another origin (credential leak to a CDN)", async () => {
  const response = await send(fetch, { method: "GET", url: `http://127.0.0.1:${registryPort}/v2/x/blobs/sha256:1`, headers: { authorization: "Bearer secret-token" } });
  expect(await response.text()).toBe("blob");
  expect(seen.find((s) => s.path.startsWith("/v2/"))?.headers.authorization).toBe("Bearer secret-token");
  expect(seen.find((s) => s.path === "/blob")?.headers.authorization).toBeUndefined();
});

it("keeps Authorization on a same-origin redirect", async () => {
  const response = await send(fetch, { method: "GET", url: `http://127.0.0.1:${registryPort}/same-origin`, headers: { authorization: "Basic abc" } });
  expect(await response.text()).toBe("same");
  expect(seen.find((s) => s.path === "/landed")?.headers.authorization).toBe("Basic abc");
});
