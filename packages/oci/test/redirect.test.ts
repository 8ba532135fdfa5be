// Credentials never follow a redirect to another origin: a registry redirects a blob download
// to a second server (another port on 127.0.0.1, so another origin) that records what it got.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { OciError, parseReference, pullComponent, RegistryClient, send } from "../src/index.js";
import { fakeArtifact, fakeRegistry, listen as listenFake } from "./helpers/fake-registry.js";

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
  const { response, url } = await send(fetch, { method: "GET", url: `http://127.0.0.1:${registryPort}/v2/x/blobs/sha256:1`, headers: { authorization: "Bearer secret-token" } });
  expect(url).toBe(`http://127.0.0.1:${cdnPort}/blob`);
  expect(await response.text()).toBe("blob");
  expect(seen.find((s) => s.path.startsWith("/v2/"))?.headers.authorization).toBe("Bearer secret-token");
  expect(seen.find((s) => s.path === "/blob")?.headers.authorization).toBeUndefined();
});

it("keeps Authorization on a same-origin redirect", async () => {
  const { response } = await send(fetch, { method: "GET", url: `http://127.0.0.1:${registryPort}/same-origin`, headers: { authorization: "Basic abc" } });
  expect(await response.text()).toBe("same");
  expect(seen.find((s) => s.path === "/landed")?.headers.authorization).toBe("Basic abc");
});

it("never sends the registry's password to the token realm of the server a blob redirect led to (401 after a redirect)", async () => {
  const basic = `Basic ${Buffer.from("alice:registry-password").toString("base64")}`;
  const realmHits: { url: string; authorization?: string }[] = [];
  const cdn = await listenFake((req, res) => {
    if (req.url?.startsWith("/token")) {
      realmHits.push({ url: req.url, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token: "cdn-token" }));
      return;
    }
    res.writeHead(401, { "www-authenticate": `Bearer realm="http://${cdnHost()}/token",service="evil"` }).end();
  });
  const cdnHost = () => cdn.host;
  const registry = await fakeRegistry(fakeArtifact(), (req, res) => {
    if (req.headers.authorization !== basic) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="registry"' }).end();
      return true;
    }
    if (!req.url?.includes("/blobs/")) return false;
    res.writeHead(307, { location: `http://${cdn.host}/cdn${req.url}` }).end();
    return true;
  });
  try {
    const client = new RegistryClient({ credentials: async () => ({ username: "alice", password: "registry-password" }) });
    const error = await pullComponent(client, parseReference(`oci://${registry.host}/tools/grammar-checker:1.0`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OciError);
    expect((error as OciError).code).toBe("AUTH_FAILED");
    expect((error as OciError).message).toContain(`${registry.host} redirected to http://${cdn.host}, which asks for authentication (401): credentials are sent only to the registry itself`);
    expect(realmHits).toEqual([]);
    expect(cdn.requests.every((r) => r.authorization === undefined)).toBe(true);
  } finally {
    await registry.close();
    await cdn.close();
  }
});

it("refuses a redirect from https to plain http (a downgrade)", async () => {
  const seenUrls: string[] = [];
  const fakeFetch = (async (input: string | URL | Request) => {
    seenUrls.push(String(input));
    return new Response(null, { status: 302, headers: { location: "http://mirror.example/tool.wasm" } });
  }) as typeof fetch;
  const error = await send(fakeFetch, { method: "GET", url: "https://registry.example/v2/x/blobs/sha256:1", headers: {} }).catch((e: unknown) => e);
  expect((error as OciError).code).toBe("REGISTRY_ERROR");
  expect((error as OciError).message).toContain("redirect from https to plain http (http://mirror.example) refused");
  expect(seenUrls).toEqual(["https://registry.example/v2/x/blobs/sha256:1"]);
});
