// The fetcher tool through the real host, against real HTTP servers on 127.0.0.1.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer as createTlsServer, type Server as TlsServer } from "node:https";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, connect, serveComponents } from "./helpers/airlock.js";
import { selfSignedCertificate } from "./helpers/certificate.js";
import { redirect, startServer, text, type TestServer } from "./helpers/http-server.js";

const FETCHER = join(import.meta.dirname, "..", "..", "tools", "fetcher", "dist", "fetcher.wasm");
const ARTICLE = `<html><head><title>Gardening</title></head><body>
<nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<main><h1>Tomatoes</h1><p>Water them <em>every</em> morning.</p><ul><li>Sun</li><li>Soil</li></ul></main>
<footer>© 2026</footer><script>track()</script></body></html>`;

let served: Awaited<ReturnType<typeof serveComponents>>;
let site: TestServer;
let other: TestServer;

beforeAll(async () => {
  other = await startServer({ "/page": text("other host") });
  site = await startServer({
    "/article": text(ARTICLE, "text/html; charset=utf-8"),
    "/hop1": redirect("/hop2", 301),
    "/hop2": redirect("/hop3", 302),
    "/hop3": redirect("/article", 307),
    "/away": redirect(`${other.origin}/page`),
    "/loop": redirect("/loop"),
    "/data.json": text('{"name":"airlock","tags":["wasm","mcp"]}', "application/json"),
    "/latin1": (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain; charset=iso-8859-1" }).end(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x61, 0xef, 0x76, 0x65]));
    },
    "/long": text("0123456789".repeat(1000)),
    "/huge": (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("x".repeat(6 * 1024 * 1024));
    },
    "/slow": (_req, res) => void setTimeout(() => res.writeHead(200, { "content-type": "text/plain" }).end("late"), 8000),
    "/image.png": text("\x89PNG", "image/png"),
    "/missing": text("gone", "text/plain", 404),
  });
  served = await serveComponents(FETCHER);
  await airlock(served.home, "grant", "fetcher", "network", `127.0.0.1:${site.port}`);
});
afterAll(async () => {
  await served?.cleanup();
  await site?.close();
  await other?.close();
});

const fetchPage = async (path: string, extra: Record<string, unknown> = {}) =>
  (await served.mcp.client.callTool({ name: "fetch", arguments: { url: `${site.origin}${path}`, ...extra } })) as CallToolResult;
const page = (result: CallToolResult) => (result.structuredContent as { result: Record<string, unknown> }).result;
const errorText = (result: CallToolResult) => String((result.structuredContent as { error?: string })?.error ?? (result.content[0] as { text: string }).text);

describe("fetcher", () => {
  it("returns an HTML page's main text as Markdown", async () => {
    const result = await fetchPage("/article");
    expect(page(result)).toEqual({
      url: `${site.origin}/article`,
      status: 200,
      "content-type": "text/html",
      content: "# Gardening\n\n# Tomatoes\n\nWater them _every_ morning.\n\n* Sun\n* Soil",
      "total-length": 66,
      "next-start-index": null,
    });
  });

  it("follows a redirect chain hop by hop", async () => {
    const result = await fetchPage("/hop1");
    expect(page(result).url).toBe(`${site.origin}/article`);
    expect(site.hits.get("/hop3")).toBe(1);
  });

  it("refuses a redirect to a host that is not granted, and stops redirect loops", async () => {
    const away = await fetchPage("/away");
    expect(away.isError).toBe(true);
    expect(other.hits.get("/page")).toBeUndefined();
    expect((await fetchPage("/loop")).isError).toBe(true);
    expect(errorText(await fetchPage("/loop"))).toContain("more than 5 redirects");
  });

  it("pretty-prints JSON and decodes a Latin-1 page", async () => {
    expect(page(await fetchPage("/data.json")).content).toBe('{\n  "name": "airlock",\n  "tags": [\n    "wasm",\n    "mcp"\n  ]\n}');
    expect(page(await fetchPage("/latin1")).content).toBe("café naïve");
  });

  it("pages long content with max-length and start-index", async () => {
    const first = page(await fetchPage("/long", { "max-length": 4000 }));
    expect(first).toMatchObject({ "total-length": 10000, "next-start-index": 4000 });
    const last = page(await fetchPage("/long", { "max-length": 4000, "start-index": 8000 }));
    expect(last).toMatchObject({ content: "0123456789".repeat(200), "next-start-index": null });
  });

  it("gives clear errors for non-text content, HTTP errors and huge bodies", async () => {
    expect(errorText(await fetchPage("/image.png"))).toContain("is image/png, not text");
    expect(errorText(await fetchPage("/missing"))).toContain("answered HTTP 404");
    expect(errorText(await fetchPage("/huge"))).toContain("is larger than 5 MiB");
  });

  it("stops a slow response at the policy's time limit, and keeps serving", async () => {
    const { writeFile, readFile } = await import("node:fs/promises");
    const policyFile = join(served.home.dir, "components", "fetcher.policy.yaml");
    await writeFile(policyFile, `${await readFile(policyFile, "utf8")}  resources:\n    limits:\n      timeout: "2s"\n`);
    const slow = await fetchPage("/slow");
    expect(slow.isError).toBe(true);
    expect(errorText(slow)).toContain("exceeded the time limit of 2 s");
    expect((await fetchPage("/data.json")).isError).toBeFalsy();
  }, 20_000);

  it("says in one line why a request failed: denied, no such name, refused, TLS; each names the host", async () => {
    // A port nothing listens on: bind one, note it, close it.
    const closed = await new Promise<number>((resolve) => {
      const probe = createNetServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const tlsDir = await mkdtemp(join(tmpdir(), "airlock-tls-"));
    const { key, cert } = selfSignedCertificate(tlsDir);
    const tls: TlsServer = createTlsServer({ key: await readFile(key), cert: await readFile(cert) }, (_req, res) => res.end("secret"));
    await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
    const tlsPort = (tls.address() as { port: number }).port;
    try {
      for (const host of ["no-such-host.invalid", `127.0.0.1:${closed}`, `127.0.0.1:${tlsPort}`]) await airlock(served.home, "grant", "fetcher", "network", host);
      const call = async (url: string) => errorText((await served.mcp.client.callTool({ name: "fetch", arguments: { url } })) as CallToolResult);

      const denied = await call("http://not-granted.example/page");
      expect(denied).toContain("http://not-granted.example/page was not fetched: not-granted.example is not among the hosts this tool may reach");
      const dns = await call("https://no-such-host.invalid/");
      expect(dns).toMatch(/^no-such-host\.invalid could not be resolved: (no such host name|the DNS server did not answer)/);
      const refused = await call(`http://127.0.0.1:${closed}/`);
      expect(refused).toBe(`127.0.0.1 refused the connection on port ${closed}: nothing is listening there, or a firewall rejects it`);
      const untrusted = await call(`https://127.0.0.1:${tlsPort}/`);
      expect(untrusted).toBe("the TLS certificate of 127.0.0.1 was not accepted: it is self-signed, expired or issued for another name");
      for (const message of [denied, dns, refused, untrusted]) {
        expect(message).not.toContain("\n");
        expect(message).not.toMatch(/NetworkError|unreachable|host API/);
      }
    } finally {
      tls.close();
      await rm(tlsDir, { recursive: true, force: true });
    }
  });

  it("keeps working across a restart", async () => {
    await served.mcp.close();
    served.mcp = await connect(served.home);
    expect((await fetchPage("/data.json")).isError).toBeFalsy();
  });
});
