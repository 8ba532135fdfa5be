// The offline web server behind {http}: files with their media types, redirects on and off the
// host, and nothing outside the served folder.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { substitute } from "../src/placeholders.js";
import { serveDirectory, type StaticServer } from "../src/static-server.js";

let dir: string;
let server: StaticServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "conformance-www-"));
  await writeFile(join(dir, "page.html"), "<p>hi</p>");
  server = await serveDirectory(dir);
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (path: string) => fetch(`${server.url}${path}`, { redirect: "manual" });

describe("serveDirectory", () => {
  it("serves a file with its media type on 127.0.0.1", async () => {
    expect(server.host).toMatch(/^127\.0\.0\.1:\d+$/);
    const response = await get("/page.html");
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await response.text()).toBe("<p>hi</p>");
  });

  it("redirects /redirect/<path> and /redirect?to=<url>", async () => {
    expect((await get("/redirect/page.html")).headers.get("location")).toBe("/page.html");
    expect((await get("/redirect?to=http://example.com/")).headers.get("location")).toBe("http://example.com/");
  });

  it("answers 404 for a missing file and 403 for a path outside the folder", async () => {
    expect((await get("/missing.html")).status).toBe(404);
    expect((await get("/..%2f..%2fetc%2fpasswd")).status).toBe(403);
  });
});

describe("substitute", () => {
  it("fills {tool}, {http} and {http-host} everywhere in a value", () => {
    const values = { tool: "/t", http: "http://127.0.0.1:1", "http-host": "127.0.0.1:1" };
    expect(substitute({ a: ["{tool}/x", { b: "{http}/y" }], c: "{http-host}", n: 1 }, values)).toEqual({ a: ["/t/x", { b: "http://127.0.0.1:1/y" }], c: "127.0.0.1:1", n: 1 });
  });

  it("says when {http} is used without a conformance/www/ folder", () => {
    expect(() => substitute("{http}/x", { tool: "/t" })).toThrow("{http} is used but the tool has no conformance/www/ folder to serve");
  });
});
