// The outgoing-HTTP allowlist as a pure function, against authority tricks a guest can put in a
// raw wasi:http request (fetch() normalises some of them away before the host sees them).
import { describe, expect, it } from "vitest";
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
