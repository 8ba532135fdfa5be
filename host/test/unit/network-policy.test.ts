// The outgoing-HTTP allowlist as a pure function, against authority tricks a guest can put in a
// raw wasi:http request (fetch() normalises some of them away before the host sees them).
import { describe, expect, it } from "vitest";
import { addressRisk, resolvedAddressProblem } from "../../src/executor/sandbox/address-policy.js";
import { checkRequest } from "../../src/executor/sandbox/network-policy.js";

const allowed = (scheme: string, authority: string, grants: string[]) => checkRequest(scheme, authority, grants).allowed;

describe("checkRequest", () => {
  it("allows an exact host on the scheme's default port", () => {
    expect(allowed("HTTPS", "api.github.com", ["api.github.com"])).toBe(true);
    expect(allowed("HTTP", "api.github.com:80", ["api.github.com"])).toBe(true);
    expect(allowed("HTTPS", "api.github.com:443", ["api.github.com"])).toBe(true);
  });

  it("needs the port in the grant when it is not the default", () => {
    expect(allowed("HTTPS", "api.github.com:8443", ["api.github.com"])).toBe(false);
    expect(allowed("HTTPS", "api.github.com:8443", ["api.github.com:8443"])).toBe(true);
    expect(allowed("HTTP", "localhost:3000", ["localhost:3001"])).toBe(false);
  });

  it("matches subdomains with *. but not the apex or look-alikes", () => {
    expect(allowed("HTTPS", "en.wikipedia.org", ["*.wikipedia.org"])).toBe(true);
    expect(allowed("HTTPS", "a.b.wikipedia.org", ["*.wikipedia.org"])).toBe(true);
    expect(allowed("HTTPS", "wikipedia.org", ["*.wikipedia.org"])).toBe(false);
    expect(allowed("HTTPS", "evilwikipedia.org", ["*.wikipedia.org"])).toBe(false);
    expect(allowed("HTTPS", "wikipedia.org.evil.com", ["*.wikipedia.org"])).toBe(false);
  });

  it("refuses credentials in the authority, even when they look like a granted host", () => {
    expect(checkRequest("HTTPS", "api.github.com@evil.com", ["api.github.com"])).toMatchObject({ allowed: false, reason: expect.stringContaining("credentials") });
    expect(allowed("HTTPS", "user:pass@api.github.com", ["api.github.com"])).toBe(false);
  });

  it("compares case-insensitively and ignores one trailing dot, without widening the match", () => {
    expect(allowed("HTTPS", "API.GitHub.COM", ["api.github.com"])).toBe(true);
    expect(allowed("HTTPS", "api.github.com.", ["api.github.com"])).toBe(true);
    expect(allowed("HTTPS", "api.github.com..", ["api.github.com"])).toBe(false);
    expect(allowed("HTTPS", "EVIL.com.", ["api.github.com"])).toBe(false);
  });

  it("allows IP literals only when granted literally", () => {
    expect(allowed("HTTP", "127.0.0.1:8080", ["localhost:8080"])).toBe(false);
    expect(allowed("HTTP", "2130706433:8080", ["127.0.0.1:8080"])).toBe(false);
    expect(allowed("HTTP", "0x7f000001:8080", ["127.0.0.1:8080"])).toBe(false);
    expect(allowed("HTTP", "[::1]:8080", ["localhost:8080"])).toBe(false);
    expect(allowed("HTTP", "127.0.0.1:8080", ["127.0.0.1:8080"])).toBe(true);
    expect(allowed("HTTP", "10.0.0.1", ["*.0.0.1"])).toBe(false);
  });

  it("refuses other schemes, missing hosts and malformed authorities", () => {
    expect(allowed("ftp", "api.github.com", ["api.github.com"])).toBe(false);
    expect(checkRequest("HTTPS", undefined, ["x"]).allowed).toBe(false);
    expect(allowed("HTTPS", "api.github.com%2eevil.com", ["api.github.com"])).toBe(false);
    expect(allowed("HTTPS", "api.github.com:99999999", ["api.github.com"])).toBe(false);
    expect(allowed("HTTPS", "api.github.com\\@evil.com", ["api.github.com"])).toBe(false);
  });

  it("suggests the exact grant for a denied host", () => {
    expect(checkRequest("HTTP", "Example.com:8080", []).suggestedGrant).toBe("example.com:8080");
    expect(checkRequest("HTTPS", "example.com", []).suggestedGrant).toBe("example.com");
  });
});

describe("addressRisk and resolvedAddressProblem", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["::1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["169.254.169.254", "cloud metadata"],
    ["fd00:ec2::254", "cloud metadata"],
    ["169.254.1.1", "link-local"],
    ["fe80::1", "link-local"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["fd12:3456::1", "private"],
    ["::ffff:10.0.0.1", "private"],
    ["224.0.0.1", "multicast or broadcast"],
    ["255.255.255.255", "multicast or broadcast"],
    ["64:ff9b::7f00:1", "NAT64"],
    ["::127.0.0.1", "IPv4-compatible"],
    ["198.18.0.1", "private"],
    ["240.0.0.1", "reserved"],
    ["fec0::1", "private"],
    ["not an address", "unparsable"],
  ])("%s is %s", (address, kind) => {
    expect(addressRisk(address)).toBe(kind);
  });

  it.each(["93.184.216.34", "192.0.2.1", "172.32.0.1", "2606:4700::1111", "8.8.8.8"])("%s is public", (address) => {
    expect(addressRisk(address)).toBeUndefined();
  });

  it("refuses a name when any of its addresses is local, and when it did not resolve", () => {
    expect(resolvedAddressProblem("a.example", ["93.184.216.34"])).toBeUndefined();
    expect(resolvedAddressProblem("a.example", ["93.184.216.34", "127.0.0.1"])).toContain("a.example resolves to 127.0.0.1, a loopback address");
    expect(resolvedAddressProblem("a.example", [])).toContain("could not be resolved");
  });

  it("checks names only: a grant of an address or localhost names the place itself", () => {
    expect(checkRequest("http", "127.0.0.1:8080", ["127.0.0.1:8080"]).resolve).toBeUndefined();
    expect(checkRequest("http", "localhost:8080", ["localhost:8080"]).resolve).toBeUndefined();
    expect(checkRequest("http", "[::1]:8080", ["[::1]:8080"]).resolve).toBeUndefined();
    expect(checkRequest("https", "api.example.com", ["api.example.com"]).resolve).toBe("api.example.com");
    expect(checkRequest("https", "a.example.com", ["*.example.com"]).resolve).toBe("a.example.com");
  });
});
