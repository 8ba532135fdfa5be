// Policy files: validation errors that name the file, the key and what was expected; grants
// and revokes; atomic writes.
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import { applyGrant, applyRevoke, normalizeHost, refuseAirlockHome, storagePath } from "../../src/policy/grant-operations.js";
import { EMPTY_POLICY, grantsOf, parseDuration, parseMemory, pathOfUri, type Policy } from "../../src/policy/policy.js";
import { parsePolicy, PolicyStore } from "../../src/policy/policy-store.js";

const dirs: string[] = [];
afterEach(async () => Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true }))));

describe("parsePolicy", () => {
  it("reads a Wassette-style policy", () => {
    const policy = parsePolicy(
      `version: "1.0"
description: notes
permissions:
  storage:
    allow:
      - uri: "fs:///home/me/notes"
        access: ["read"]
  network:
    allow:
      - host: "api.github.com"
      - host: "*.wikipedia.org"
  environment:
    allow:
      - key: "GITHUB_TOKEN"
  resources:
    limits:
      memory: "256Mi"
      timeout: "30s"
`,
      "p.yaml",
    );
    expect(grantsOf(policy)).toEqual({
      storage: [{ path: "/home/me/notes", write: false }],
      network: ["api.github.com", "*.wikipedia.org"],
      privateNetwork: false,
      environment: ["GITHUB_TOKEN"],
    });
  });

  it.each([
    ['version: "1.0"\npermisions: {}\n', "p.yaml: invalid policy at permisions: is not a known property (additionalProperties; allowed: version, description, permissions)"],
    ['version: "2.0"\n', 'p.yaml: invalid policy at version: must be "1.0" (const), received "2.0"'],
    [
      'version: "1.0"\npermissions:\n  storage:\n    allow:\n      - uri: "/home/me"\n        access: ["read"]\n',
      'p.yaml: invalid policy at permissions.storage.allow.0.uri: must match pattern "^fs:///" (pattern), received "/home/me"',
    ],
    ['version: "1.0"\npermissions:\n  storage:\n    allow:\n      - uri: "fs:///x"\n        access: ["execute"]\n', "p.yaml: invalid policy at permissions.storage.allow.0.access.0: must be one of"],
    ['version: "1.0"\npermissions:\n  network:\n    allow:\n      - host: "https://x.com/path"\n', "p.yaml: invalid policy at permissions.network.allow.0.host: must match pattern"],
    ['version: "1.0"\npermissions:\n  resources:\n    limits:\n      timeout: "soon"\n', "p.yaml: invalid policy at permissions.resources.limits.timeout: must match pattern"],
    ["version: [", "p.yaml: not valid YAML"],
    [
      'version: "1.0"\npermissions:\n  storage:\n    allow:\n      - uri: "fs:///data/../etc"\n        access: ["read"]\n',
      "p.yaml: invalid policy at permissions.storage.allow.0.uri: must NOT be valid (not)",
    ],
    ['version: "1.0"\npermissions:\n  network:\n    allow:\n      - host: "*.com"\n', "p.yaml: invalid policy at permissions.network.allow.0.host: must match pattern"],
    // The schema sees the text; the `..` hides in escapes the sandbox would decode.
    [
      'version: "1.0"\npermissions:\n  storage:\n    allow:\n      - uri: "fs:///data/%2E%2E/etc"\n        access: ["read"]\n',
      'p.yaml: invalid policy at permissions.storage.allow.0.uri: "fs:///data/%2E%2E/etc" contains ".."',
    ],
    [
      'version: "1.0"\npermissions:\n  storage:\n    allow:\n      - uri: "fs:///data/%zz"\n        access: ["read"]\n',
      'p.yaml: invalid policy at permissions.storage.allow.0.uri: "fs:///data/%zz" is not a valid URI',
    ],
  ])("refuses %j naming the file and the key", (text, message) => {
    expect(() => parsePolicy(text, "p.yaml")).toThrow(UserError);
    expect(() => parsePolicy(text, "p.yaml")).toThrow(message);
  });
});

describe("grant operations", () => {
  it("adds, replaces and removes grants", () => {
    let policy = applyGrant(EMPTY_POLICY, { kind: "storage", path: "/data", access: ["read"] });
    policy = applyGrant(policy, { kind: "storage", path: "/data", access: ["write", "read"] });
    policy = applyGrant(policy, { kind: "network", host: "example.com" });
    expect(grantsOf(policy)).toEqual({ storage: [{ path: "/data", write: true }], network: ["example.com"], privateNetwork: false, environment: [] });
    policy = applyRevoke(policy, { kind: "storage", path: "/data" });
    expect(grantsOf(policy).storage).toEqual([]);
    expect(policy.permissions?.storage).toBeUndefined();
  });

  it("refuses a read-only grant that a writable one around it would make moot", () => {
    const writable = applyGrant(EMPTY_POLICY, { kind: "storage", path: "/a", access: ["read", "write"] });
    expect(() => applyGrant(writable, { kind: "storage", path: "/a/b", access: ["read"] })).toThrow("a read-only grant inside it would not stop writes");
    const readOnly = applyGrant(EMPTY_POLICY, { kind: "storage", path: "/a/b", access: ["read"] });
    expect(() => applyGrant(readOnly, { kind: "storage", path: "/a", access: ["read", "write"] })).toThrow("write access to /a would cover it");
    // Writable inside read-only is a narrow widening, and allowed.
    const outer = applyGrant(EMPTY_POLICY, { kind: "storage", path: "/a", access: ["read"] });
    expect(grantsOf(applyGrant(outer, { kind: "storage", path: "/a/out", access: ["read", "write"] })).storage).toHaveLength(2);
  });

  it("refuses URIs with .. and hosts with a scheme or path", () => {
    expect(() => storagePath("fs:///data/../etc")).toThrow('contains ".."');
    expect(storagePath("/data/../etc")).toBe("/etc");
    expect(storagePath("fs:///data/")).toBe("/data");
    expect(storagePath("file:///data")).toBe("/data");
    expect(() => storagePath("https://example.com/data")).toThrow("is not a directory: give an fs:///absolute/path URI or an absolute path");
    expect(() => storagePath("notes", { allowRelative: false })).toThrow('"notes" is not absolute');
    expect(() => normalizeHost("https://example.com")).toThrow("is not a host name");
    expect(normalizeHost("Example.COM.")).toBe("example.com");
    expect(() => normalizeHost("*.com")).toThrow("would grant a whole top-level domain");
    expect(normalizeHost("*.example.com")).toBe("*.example.com");
    expect(() => refuseAirlockHome("/home/me", "/home/me/.local/share/airlock")).toThrow("Airlock's own store");
    expect(() => refuseAirlockHome("/home/me/.local/share/airlock/components", "/home/me/.local/share/airlock")).toThrow("Airlock's own store");
    expect(() => refuseAirlockHome("/home/me/notes", "/home/me/.local/share/airlock")).not.toThrow();
  });

  it("refuses a grant that reaches the store through a symlink (home behind a link, or a linked grant)", async () => {
    const root = await mkdtemp(join(tmpdir(), "airlock-home-alias-"));
    dirs.push(root);
    await mkdir(join(root, "data", "airlock-home"), { recursive: true });
    await symlink(join(root, "data"), join(root, "alias"));
    // $AIRLOCK_HOME is reached through the link; the grant names the real directory around it.
    expect(() => refuseAirlockHome(join(root, "data"), join(root, "alias", "airlock-home"))).toThrow("Airlock's own store");
    // The grant is the link; the home is the real path.
    expect(() => refuseAirlockHome(join(root, "alias"), join(root, "data", "airlock-home"))).toThrow("Airlock's own store");
    // A directory beside it, through the link, is fine.
    await mkdir(join(root, "data", "notes"));
    expect(() => refuseAirlockHome(join(root, "alias", "notes"), join(root, "data", "airlock-home"))).not.toThrow();
  });

  it("applyGrant normalizes the path it is given", () => {
    const policy = applyGrant(EMPTY_POLICY, { kind: "storage", path: "/x//g/", access: ["read"] });
    expect(policy.permissions?.storage?.allow).toEqual([{ uri: "fs:///x/g", access: ["read"] }]);
  });

  it("parses sizes and durations", () => {
    expect(parseMemory("256Mi")).toBe(256 * 1024 * 1024);
    expect(parseDuration("1.5s")).toBe(1500);
    expect(parseDuration("2m")).toBe(120_000);
  });
});

// Hardening item 4: a grant written `fs:///x//g/` was stored as written, so `revoke x storage /x/g`
// matched nothing yet answered "revoked", and a read-only /x/g/sub slipped in beside it.
describe("storage path normalization: one directory, one spelling", () => {
  it.each([
    ["fs:///a//b/", "/a/b"],
    ["/a/./b", "/a/b"],
    ["file:///a/b/", "/a/b"],
    ["fs:///a/./b//", "/a/b"],
    ["fs:///a///b/./", "/a/b"],
    ["/a//b///", "/a/b"],
    ["FS:///a", "/a"],
    ["fs:///", "/"],
    ["fs:////", "/"],
    ["fs:///a%20b/", "/a b"],
  ])("storagePath(%j) is %j, the form the policy stores", (input, path) => {
    expect(storagePath(input)).toBe(path);
    expect(storagePath(input, { allowRelative: false })).toBe(path);
  });

  it.each([
    ["fs:///a/b/..", '"fs:///a/b/.." contains ".."'],
    ["fs:///a/../b", '"fs:///a/../b" contains ".."'],
    ["file:///a/b/..", '"file:///a/b/.." contains ".."'],
    ["fs:///a/%2E%2E/b", '"fs:///a/%2E%2E/b" contains ".."'],
    ["fs:///a/%zz", '"fs:///a/%zz" is not a valid URI'],
    ["fs://a/b", '"fs://a/b" is not an absolute path or fs:/// URI'],
  ])("storagePath refuses %j rather than guess which directory it means", (input, message) => {
    expect(() => storagePath(input)).toThrow(UserError);
    expect(() => storagePath(input)).toThrow(message);
  });

  it.each([
    ["fs:///x//g/", "/x/g"],
    ["fs:///x/./g", "/x/g"],
    ["fs:///x/g///", "/x/g"],
    ["file:///x/g/", "/x/g"],
    ["fs:///", "/"],
  ])("pathOfUri(%j), used by the sandbox on hand-edited policies, is %j", (uri, path) => {
    expect(pathOfUri(uri)).toBe(path);
  });

  it("pathOfUri refuses .. even when the sandbox is built from a hand-edited policy", () => {
    expect(() => pathOfUri("fs:///a/b/..")).toThrow('contains ".."');
    expect(() => grantsOf({ version: "1.0", permissions: { storage: { allow: [{ uri: "fs:///a/%2e%2e/etc", access: ["read"] }] } } })).toThrow('contains ".."');
  });

  it("a hand-edited fs:///x//g/ is enforced as /x/g; two spellings of one directory are one grant", () => {
    const handEdited: Policy = {
      version: "1.0",
      permissions: {
        storage: {
          allow: [
            { uri: "fs:///x//g/", access: ["read"] },
            { uri: "fs:///y/", access: ["read"] },
            { uri: "fs:///y/./", access: ["write", "read"] },
          ],
        },
      },
    };
    expect(grantsOf(handEdited).storage).toEqual([
      { path: "/x/g", write: false },
      { path: "/y", write: true },
    ]);
  });

  it("attack: grant fs:///x//g/ read-write, then revoke /x/g: the grant is really gone", () => {
    const granted = applyGrant(EMPTY_POLICY, { kind: "storage", path: storagePath("fs:///x//g/"), access: ["read", "write"] });
    expect(granted.permissions?.storage?.allow).toEqual([{ uri: "fs:///x/g", access: ["read", "write"] }]);
    const revoked = applyRevoke(granted, { kind: "storage", path: storagePath("/x/g") }, "intruder");
    expect(grantsOf(revoked).storage).toEqual([]);
    expect(revoked).toEqual({ version: "1.0" });
  });

  it("attack: a read-only /x/g/sub beside a read-write fs:///x//g/ is refused as moot", () => {
    const granted = applyGrant(EMPTY_POLICY, { kind: "storage", path: storagePath("fs:///x//g/"), access: ["read", "write"] });
    expect(() => applyGrant(granted, { kind: "storage", path: storagePath("/x/g/sub"), access: ["read"] })).toThrow("/x/g/sub is inside /x/g, which is granted read and write");
    expect(() => applyGrant(granted, { kind: "storage", path: storagePath("fs:///x//g/./sub/"), access: ["read"] })).toThrow("/x/g/sub is inside /x/g");
  });

  it("attack: a hand-edited fs:///x//g/ is revoked by /x/g, and rewritten canonically by the next change", () => {
    const handEdited: Policy = {
      version: "1.0",
      permissions: {
        storage: {
          allow: [
            { uri: "fs:///x//g/", access: ["read", "write"] },
            { uri: "fs:///d//", access: ["read"] },
          ],
        },
      },
    };
    expect(applyRevoke(handEdited, { kind: "storage", path: "/x/g" }, "intruder").permissions?.storage?.allow).toEqual([{ uri: "fs:///d", access: ["read"] }]);
    // A nested read-only grant is refused against the hand-edited spelling too.
    expect(() => applyGrant(handEdited, { kind: "storage", path: "/x/g/sub", access: ["read"] })).toThrow("is inside /x/g");
    // Granting /x/g again replaces the hand-edited entry instead of adding a second one.
    expect(applyGrant(handEdited, { kind: "storage", path: "/x/g", access: ["read", "write"] }).permissions?.storage?.allow).toEqual([
      { uri: "fs:///d", access: ["read"] },
      { uri: "fs:///x/g", access: ["read", "write"] },
    ]);
  });
});

describe("a revoke that matches nothing fails, saying what is granted", () => {
  const policy = [
    { kind: "storage", path: "/data", access: ["read"] },
    { kind: "storage", path: "/rw", access: ["write", "read"] },
    { kind: "network", host: "api.example.com" },
    { kind: "environment", key: "TOKEN" },
  ].reduce((p, r) => applyGrant(p, r as Parameters<typeof applyGrant>[1]), EMPTY_POLICY);

  it.each([
    [{ kind: "storage", path: "/x/g" }, '"intruder" has no storage grant for /x/g; its storage grants are: /data (read), /rw (read, write)'],
    // A subdirectory of a grant is not that grant: revoking it would leave /data readable.
    [{ kind: "storage", path: "/data/sub" }, '"intruder" has no storage grant for /data/sub; its storage grants are: /data (read), /rw (read, write)'],
    [{ kind: "network", host: "evil.example.com" }, '"intruder" has no network grant for evil.example.com; its network grants are: api.example.com'],
    [{ kind: "environment", key: "HOME" }, '"intruder" has no environment variable grant for HOME; its environment variable grants are: TOKEN'],
  ] as const)("revoke %j", (request, message) => {
    expect(() => applyRevoke(policy, request, "intruder")).toThrow(UserError);
    expect(() => applyRevoke(policy, request, "intruder")).toThrow(message);
  });

  it.each([
    [{ kind: "storage", path: "/x/g" }, '"intruder" has no storage grant for /x/g; it has no storage grants'],
    [{ kind: "network", host: "example.com" }, '"intruder" has no network grant for example.com; it has no network grants'],
    [{ kind: "environment", key: "HOME" }, '"intruder" has no environment variable grant for HOME; it has no environment variable grants'],
  ] as const)("revoke %j with nothing granted", (request, message) => {
    expect(() => applyRevoke(EMPTY_POLICY, request, "intruder")).toThrow(message);
  });

  it("a revoke that matches succeeds, however the path is spelled", () => {
    expect(grantsOf(applyRevoke(policy, { kind: "storage", path: "/rw//" }, "intruder")).storage).toEqual([{ path: "/data", write: false }]);
    expect(grantsOf(applyRevoke(policy, { kind: "network", host: "api.example.com" }, "intruder")).network).toEqual([]);
    expect(grantsOf(applyRevoke(policy, { kind: "environment", key: "TOKEN" }, "intruder")).environment).toEqual([]);
  });
});

describe("PolicyStore", () => {
  it("writes atomically, leaving no temporary file, and reads back what it wrote", async () => {
    const dir = await mkdtemp(join(tmpdir(), "airlock-policy-"));
    dirs.push(dir);
    const store = new PolicyStore(dir);
    const policy = applyGrant(EMPTY_POLICY, { kind: "environment", key: "TOKEN" });
    await store.write("tool", policy);
    expect(await store.read("tool")).toEqual(policy);
    expect(await readdir(dir)).toEqual(["tool.policy.yaml"]);
    expect(await readFile(store.file("tool"), "utf8")).toContain("key: TOKEN");
    expect(await store.read("missing")).toEqual(EMPTY_POLICY);
  });
});
