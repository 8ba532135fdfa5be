// The permission console's security rules over plain HTTP, against a real `airlock serve --http`:
// the one-time login code, the session cookie standing in for the bearer token on /console only,
// Origin and CSRF checks on every change, the Host check, the headers that keep the page's own
// code the only code, component strings served as JSON data, and the live feed hearing MCP calls.
import { spawn } from "node:child_process";
import { writeFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, CLI, connect, connectModernHttp, fixture, GRAMMAR_CHECKER, tempHome, type TempHome } from "./helpers/airlock.js";
import { login, openFeed, raw, startConsole, type ConsoleServer } from "./helpers/console.js";

const FETCHER = join(import.meta.dirname, "..", "..", "tools", "fetcher", "dist", "fetcher.wasm");

let home: TempHome;
let server: ConsoleServer;
let session: { cookie: string; csrf: string; used: string };

beforeAll(async () => {
  home = await tempHome();
  for (const file of [GRAMMAR_CHECKER, FETCHER, fixture("hostile-text")]) expect((await airlock(home, "load", file)).code).toBe(0);
  server = await startConsole(home);
  session = await login(server);
});
afterAll(async () => {
  await server?.stop();
  await home?.cleanup();
});

const get = (path: string, headers: Record<string, string> = {}) => raw(server.port, "GET", path, { cookie: session.cookie, ...headers });
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  raw(server.port, "POST", path, { cookie: session.cookie, origin: server.origin, "x-airlock-csrf": session.csrf, ...headers }, JSON.stringify(body));
const networkGrant = (action: "grant" | "revoke", host: string) => ({ component: "grammar-checker", action, kind: "network", target: host });

describe("console login", () => {
  it("prints a login URL on stderr; its code is exchanged once for an HttpOnly, SameSite=Strict cookie", async () => {
    expect(session.used).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/console/login\\?code=[A-Za-z0-9_-]{20,}$`));
    const fresh = await server.loginUrl(session.used);
    const url = new URL(fresh);
    const answer = await raw(server.port, "GET", url.pathname + url.search);
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe("/console/");
    expect(String(answer.headers["set-cookie"])).toMatch(/^airlock_console=[A-Za-z0-9_-]+; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    // A used code is refused, and a fresh one is printed for the next browser.
    const again = await raw(server.port, "GET", url.pathname + url.search);
    expect(again.status).toBe(403);
    expect(again.body).toContain("wrong or was already used");
    expect(await server.loginUrl(fresh)).not.toBe(fresh);
    expect((await raw(server.port, "GET", "/console/login?code=guessed")).status).toBe(403);
    expect((await raw(server.port, "GET", "/console/login")).status).toBe(403);
  });

  it("refuses the page, the API and the live feed without the cookie, or with a made-up one", async () => {
    for (const path of ["/console/", "/console/api/components", "/console/api/events", "/console/assets/x.js"]) {
      const answer = await raw(server.port, "GET", path);
      expect(answer.status, path).toBe(401);
      expect(answer.body, path).toContain("log in with the console URL airlock printed on stderr");
      expect((await raw(server.port, "GET", path, { cookie: "airlock_console=made-up" })).status, path).toBe(401);
    }
    expect((await raw(server.port, "POST", "/console/api/grants", { origin: server.origin }, JSON.stringify(networkGrant("grant", "example.com")))).status).toBe(401);
  });

  it("the cookie stands in for the bearer token on /console only: /mcp still needs the token", async () => {
    const init = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "x", version: "0" } } };
    const answer = await raw(server.port, "POST", "/mcp", { cookie: session.cookie, accept: "application/json, text/event-stream" }, JSON.stringify(init));
    expect(answer.status).toBe(401);
  });
});

describe("console requests", () => {
  it("serves the page with a strict Content-Security-Policy and no inline script or style", async () => {
    const page = await get("/console/");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["content-security-policy"]).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(page.headers["referrer-policy"]).toBe("no-referrer");
    expect(page.headers["cache-control"]).toBe("no-store");
    const scripts = [...page.body.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [tag, body] of scripts) {
      expect(tag).toMatch(/src="\/console\/assets\/[^"]+\.js"/);
      expect(body).toBe("");
    }
    expect(page.body).not.toMatch(/<style|style=|https?:\/\//);
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(page.body)![1]!;
    const asset = await get(script);
    expect(asset.status).toBe(200);
    expect(asset.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(asset.headers["content-security-policy"]).toBeDefined();
  });

  it("applies the Host (DNS rebinding) check and the Origin check to /console too", async () => {
    expect((await get("/console/", { host: "attacker.example" })).status).toBe(403);
    expect((await get("/console/api/components", { origin: "http://attacker.example" })).status).toBe(403);
    const foreign = await post("/console/api/grants", networkGrant("grant", "example.com"), { origin: "http://attacker.example" });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toContain("origin http://attacker.example is not allowed");
    // Another port on this machine is another origin.
    expect((await post("/console/api/grants", networkGrant("grant", "example.com"), { origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
  });

  it("refuses a change without an Origin, or without the session's CSRF token", async () => {
    const body = JSON.stringify(networkGrant("grant", "example.com"));
    const noOrigin = await raw(server.port, "POST", "/console/api/grants", { cookie: session.cookie, "x-airlock-csrf": session.csrf }, body);
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.body).toContain("needs the Origin header");
    const noCsrf = await raw(server.port, "POST", "/console/api/grants", { cookie: session.cookie, origin: server.origin }, body);
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body).toContain("CSRF");
    expect((await post("/console/api/grants", networkGrant("grant", "example.com"), { "x-airlock-csrf": "wrong" })).status).toBe(403);
    expect((await airlock(home, "policy", "grammar-checker")).stdout).not.toContain("example.com");
  });

  it("grants and revokes through the CLI's policy rules: the change shows in `airlock policy`", async () => {
    const preview = await post("/console/api/preview", networkGrant("grant", "Example.COM"));
    expect(preview.status).toBe(200);
    expect(JSON.parse(preview.body)).toMatchObject({ component: "grammar-checker", before: 'version: "1.0"\n', after: expect.stringContaining("host: example.com") });
    expect((await airlock(home, "policy", "grammar-checker")).stdout).not.toContain("example.com");
    expect((await post("/console/api/grants", networkGrant("grant", "Example.COM"))).status).toBe(200);
    expect((await airlock(home, "policy", "grammar-checker")).stdout).toContain("example.com");
    const badHost = await post("/console/api/grants", networkGrant("grant", "https://example.com/x"));
    expect(badHost.status).toBe(400);
    expect(JSON.parse(badHost.body).error).toContain("is not a host name");
    expect((await post("/console/api/grants", networkGrant("revoke", "example.com"))).status).toBe(200);
    expect((await airlock(home, "policy", "grammar-checker")).stdout).not.toContain("example.com");
    const notGranted = await post("/console/api/grants", networkGrant("revoke", "example.com"));
    expect(JSON.parse(notGranted.body).error).toBe('"grammar-checker" has no network grant for example.com; it has no network grants');
  });

  it("grants a directory read-only as the CLI would, and refuses Airlock's own store and relative paths", async () => {
    const storage = (action: "grant" | "revoke", target: string, access?: string[]) => ({ component: "grammar-checker", action, kind: "storage", target, ...(access ? { access } : {}) });
    const inside = await post("/console/api/grants", storage("grant", join(home.dir, "components"), ["read"]));
    expect(inside.status).toBe(400);
    expect(JSON.parse(inside.body).error).toBe(`${join(home.dir, "components")} contains or is inside Airlock's own store (${home.dir}); grant a directory outside it`);
    expect(JSON.parse((await post("/console/api/grants", storage("grant", "notes", ["read"]))).body).error).toBe('"notes" is not absolute: give an fs:///absolute/path URI or an absolute path');
    const granted = await post("/console/api/grants", storage("grant", "/srv/console-test//notes/", ["read"]));
    expect(granted.status).toBe(200);
    expect(JSON.parse(granted.body).warning).toContain("/srv/console-test/notes does not exist (yet)");
    expect((await airlock(home, "policy", "grammar-checker")).stdout).toContain("fs:///srv/console-test/notes");
    const view = JSON.parse((await get("/console/api/policy/grammar-checker")).body) as { granted: { storage: unknown[] } };
    expect(view.granted.storage).toEqual([{ path: "/srv/console-test/notes", write: false }]);
    expect((await post("/console/api/grants", storage("revoke", "/srv/console-test/notes"))).status).toBe(200);
    expect((await airlock(home, "policy", "grammar-checker")).stdout).not.toContain("console-test");
  });

  it("a store served from a deployment file refuses grants with its own message", async () => {
    const mark = join(home.dir, "deployment.json");
    await writeFile(mark, JSON.stringify({ file: "/srv/airlock.yaml" }));
    try {
      const refused = await post("/console/api/grants", networkGrant("grant", "example.com"));
      expect(refused.status).toBe(400);
      expect(JSON.parse(refused.body).error).toMatch(/^changing grants is refused: this store is served from the deployment file \/srv\/airlock\.yaml/);
      expect(JSON.parse((await get("/console/api/policy/grammar-checker")).body).managedBy).toBe("/srv/airlock.yaml");
    } finally {
      await rm(mark);
    }
  });

  it("serves a component's strings as JSON data, never as HTML", async () => {
    const answer = await get("/console/api/components");
    expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8");
    const { components } = JSON.parse(answer.body) as { components: { id: string; tools: { name: string; description: string }[] }[] };
    expect(components.map((c) => c.id).sort()).toEqual(["fetcher", "grammar-checker", "hostile-text"]);
    expect(components.find((c) => c.id === "hostile-text")!.tools[0]!.description).toContain("<img src=x onerror=alert(1)>");
    const call = await post("/console/api/call", { tool: "shout", arguments: { words: "<b>hi</b>" } });
    expect(call.headers["content-type"]).toBe("application/json; charset=utf-8");
    const { result } = JSON.parse(call.body) as { result: { content: { text: string }[] } };
    expect(result.content[0]!.text).toBe('<script>alert("shout")</script><img src=x onerror=alert(2)><b>hi</b>');
  });

  it("the live feed hears a call an MCP client makes over HTTP, even one that makes no capability decisions", async () => {
    const feed = await openFeed(server, session.cookie);
    const client = await connectModernHttp(`${server.origin}/mcp`, server.token);
    try {
      await client.callTool({ name: "check-grammar", arguments: { text: "This is is a test." } });
      const call = (await feed.waitFor((e) => e.event === "call" && e.data.tool === "check-grammar")).data;
      expect(call).toMatchObject({ kind: "call", component: "grammar-checker", tool: "check-grammar", outcome: "ok", denied: 0 });
      expect(typeof call.durationMs).toBe("number");
      // A denial: the call event counts it, and the audit event carries the grant that would allow it.
      await client.callTool({ name: "fetch", arguments: { url: "http://127.0.0.1:9/x" } });
      expect((await feed.waitFor((e) => e.event === "call" && e.data.tool === "fetch")).data).toMatchObject({ component: "fetcher", outcome: "error-result", denied: 1 });
      const audit = await feed.waitFor((e) => e.event === "audit" && JSON.stringify(e.data).includes("127.0.0.1:9"));
      expect(audit.data.entries).toEqual([expect.objectContaining({ component: "fetcher", tool: "fetch", allowed: false, grant: { kind: "network", host: "127.0.0.1:9" } })]);
      expect(audit.data.elsewhere).toBeUndefined();
    } finally {
      await client.close();
      feed.close();
    }
  });

  it("the live feed hears the decisions of an `airlock serve` over stdio on the same store, once each", async () => {
    const feed = await openFeed(server, session.cookie);
    const stdio = await connect(home);
    try {
      await stdio.client.callTool({ name: "fetch", arguments: { url: "http://127.0.0.1:7/over-stdio" } });
      const audit = await feed.waitFor((e) => e.event === "audit" && JSON.stringify(e.data).includes("127.0.0.1:7"));
      expect(audit.data).toMatchObject({ elsewhere: true, entries: [expect.objectContaining({ component: "fetcher", allowed: false, grant: { kind: "network", host: "127.0.0.1:7" } })] });
      // This server's own records come once, through HostEvents, never again from the file.
      const client = await connectModernHttp(`${server.origin}/mcp`, server.token);
      await client.callTool({ name: "fetch", arguments: { url: "http://127.0.0.1:5/over-http" } });
      await client.close();
      await feed.waitFor((e) => e.event === "audit" && JSON.stringify(e.data).includes("127.0.0.1:5"));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(feed.events.filter((e) => e.event === "audit" && JSON.stringify(e.data).includes("127.0.0.1:5"))).toHaveLength(1);
      expect(feed.events.filter((e) => e.event === "audit" && JSON.stringify(e.data).includes("127.0.0.1:7"))).toHaveLength(1);
    } finally {
      await stdio.close();
      feed.close();
    }
  });
});

describe("console audit history", () => {
  it("pages the audit log newest first, filtered by component, tool and decision", async () => {
    // The denials of the live-feed tests above: 127.0.0.1:9, then :7 (over stdio), then :5.
    const page = async (query: string) => JSON.parse((await get(`/console/api/audit?${query}`)).body) as { entries: { target: string; allowed: boolean }[]; total: number };
    const first = await page("component=fetcher&decision=denied&limit=1");
    expect(first.total).toBe(3);
    expect(first.entries.map((e) => e.target)).toEqual(["127.0.0.1:5"]);
    expect((await page("component=fetcher&decision=denied&limit=2&offset=1")).entries.map((e) => e.target)).toEqual(["127.0.0.1:7", "127.0.0.1:9"]);
    expect((await page("decision=allowed&tool=fetch")).total).toBe(0);
    expect((await page("component=grammar-checker")).total).toBe(0);
  });
});

describe("airlock console", () => {
  it("serves the console and MCP on 127.0.0.1 and prints the login URL, opening nothing", async () => {
    const child = spawn(process.execPath, [CLI, "console", "--port", "0"], { env: home.env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    try {
      const port = await new Promise<string>((resolve, reject) => {
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += String(chunk);
          const match = /over Streamable HTTP at http:\/\/127\.0\.0\.1:(\d+)\/mcp/.exec(stderr);
          if (match) resolve(match[1]!);
        });
        child.once("exit", (code) => reject(new Error(`airlock console exited with ${code}: ${stderr}`)));
      });
      const login = new RegExp(`^airlock: console: http://127\\.0\\.0\\.1:${port}/console/login\\?code=([A-Za-z0-9_-]+)$`, "m").exec(stderr);
      expect(login, stderr).not.toBeNull();
      const answer = await raw(Number(port), "GET", `/console/login?code=${login![1]}`);
      expect(answer.status).toBe(303);
    } finally {
      child.kill();
    }
  });

  it("refuses a bad --port or another argument with the usage", async () => {
    const bad = await airlock(home, "console", "--port", "http");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('airlock: --port needs a port number from 0 to 65535 (0 picks a free one); got "http"\n');
    const other = await airlock(home, "console", "--http", "0.0.0.0:80");
    expect(other.code).toBe(2);
    expect(other.stderr).toBe('airlock: unexpected argument "--http" for console: usage: airlock console [--port N]\n');
  });
});
