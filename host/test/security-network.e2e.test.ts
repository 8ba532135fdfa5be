// A granted host name that resolves into this machine or its network: DNS pointing a granted name
// at 127.0.0.1, a private address or the cloud metadata address must not let a guest reach local
// services. The host's address check asks a DNS server this test runs (AIRLOCK_DNS_SERVERS); the
// requests are refused before any connection, so the names never need to resolve for real.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, connect, fixture, tempHome, type Connected, type TempHome } from "./helpers/airlock.js";
import { startDns, type TestDns } from "./helpers/dns-server.js";
import { redirect, startServer, text, type TestServer } from "./helpers/http-server.js";

let home: TempHome;
let mcp: Connected;
let dns: TestDns;
let site: TestServer;

beforeAll(async () => {
  dns = await startDns({
    "rebind.test": ["127.0.0.1"],
    "metadata.test": ["169.254.169.254"],
    "lan.test": ["10.1.2.3"],
    "mapped.test": ["::ffff:127.0.0.1"],
    "mixed.test": ["192.0.2.1", "127.0.0.1"],
    "a.evil.test": ["127.0.0.1"],
  });
  site = await startServer({ "/ok": text("local service"), "/to-rebind": redirect((s) => `http://rebind.test:${s.port}/ok`) });
  home = await tempHome();
  home.env.AIRLOCK_DNS_SERVERS = dns.address;
  expect((await airlock(home, "load", fixture("intruder"))).code).toBe(0);
  for (const host of ["rebind.test", "metadata.test", "lan.test", "mapped.test", "mixed.test", "*.evil.test", "127.0.0.1", "localhost"]) {
    expect((await airlock(home, "grant", "intruder", "network", `${host}:${site.port}`)).code).toBe(0);
  }
  mcp = await connect(home);
});
afterAll(async () => {
  await mcp?.close();
  await home?.cleanup();
  await site?.close();
  await dns?.close();
});

const fetchUrl = async (url: string) => (await mcp.client.callTool({ name: "fetch-url", arguments: { url } })) as CallToolResult;
const textOf = (r: CallToolResult) => r.content.map((c) => (c as { text?: string }).text ?? "").join("\n");

describe("a granted name that resolves to a local or private address", () => {
  it.each([
    ["loopback (DNS rebinding)", "rebind.test", "127.0.0.1, a loopback address"],
    ["the cloud metadata address", "metadata.test", "169.254.169.254, a cloud metadata address"],
    ["a private network", "lan.test", "10.1.2.3, a private address"],
    ["loopback behind an IPv4-mapped IPv6 answer", "mapped.test", "::ffff:127.0.0.1, a loopback address"],
    ["loopback among public answers", "mixed.test", "127.0.0.1, a loopback address"],
    ["loopback under a wildcard grant", "a.evil.test", "127.0.0.1, a loopback address"],
  ])("%s is refused before any connection", async (_attack, name, resolvesTo) => {
    const hits = site.hits.get("/ok") ?? 0;
    const result = await fetchUrl(`http://${name}:${site.port}/ok`);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(`Airlock denied GET request to ${name}:${site.port}: ${name} resolves to ${resolvesTo}`);
    expect(textOf(result)).toContain("allow_private: true");
    expect(site.hits.get("/ok") ?? 0).toBe(hits);
    expect(dns.questions).toContain(`${name} A`);
  });

  it("a redirect hop to such a name is refused too", async () => {
    const hits = site.hits.get("/ok") ?? 0;
    const result = await fetchUrl(`http://127.0.0.1:${site.port}/to-rebind`);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(`Airlock denied GET request to rebind.test:${site.port}: rebind.test resolves to 127.0.0.1`);
    expect(site.hits.get("/to-rebind")).toBeGreaterThanOrEqual(1);
    expect(site.hits.get("/ok") ?? 0).toBe(hits);
  });

  it("a grant that names the address, or localhost, itself still reaches it (the control)", async () => {
    expect((await fetchUrl(`http://127.0.0.1:${site.port}/ok`)).structuredContent).toEqual({ result: "200 local service" });
    expect((await fetchUrl(`http://localhost:${site.port}/ok`)).structuredContent).toEqual({ result: "200 local service" });
  });
});
