// Policy files: validation errors that name the file, the key and what was expected; grants
// and revokes; atomic writes.
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import { applyGrant, applyRevoke, normalizeHost, refuseAirlockHome, storagePath } from "../../src/policy/grant-operations.js";
import { EMPTY_POLICY, grantsOf, parseDuration, parseMemory } from "../../src/policy/policy.js";
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
      environment: ["GITHUB_TOKEN"],
    });
  });

  it.each([
    ['version: "1.0"\npermisions: {}\n', "p.yaml: invalid policy at permisions: is not a known property (additionalProperties; allowed: version, description, permissions)"],
    ['version: "2.0"\n', 'p.yaml: invalid policy at version: must be "1.0" (const), received "2.0"'],
    ['version: "1.0"\npermissions:\n  storage:\n    allow:\n      - uri: "/home/me"\n        access: ["read"]\n', 'p.yaml: invalid policy at permissions.storage.allow.0.uri: must match pattern "^fs:///" (pattern), received "/home/me"'],
    ['version: "1.0"\npermissions:\n  storage:\n    allow:\n      - uri: "fs:///x"\n        access: ["execute"]\n', "p.yaml: invalid policy at permissions.storage.allow.0.access.0: must be one of"],
    ['version: "1.0"\npermissions:\n  network:\n    allow:\n      - host: "https://x.com/path"\n', "p.yaml: invalid policy at permissions.network.allow.0.host: must match pattern"],
    ['version: "1.0"\npermissions:\n  resources:\n    limits:\n      timeout: "soon"\n', 'p.yaml: invalid policy at permissions.resources.limits.timeout: must match pattern'],
    ["version: [", "p.yaml: not valid YAML"],
    ['version: "1.0"\npermissions:\n  storage:\n    allow:\n      - uri: "fs:///data/../etc"\n        access: ["read"]\n', "p.yaml: invalid policy at permissions.storage.allow.0.uri: must NOT be valid (not)"],
    ['version: "1.0"\npermissions:\n  network:\n    allow:\n      - host: "*.com"\n', "p.yaml: invalid policy at permissions.network.allow.0.host: must match pattern"],
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
    expect(grantsOf(policy)).toEqual({ storage: [{ path: "/data", write: true }], network: ["example.com"], environment: [] });
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

  it("parses sizes and durations", () => {
    expect(parseMemory("256Mi")).toBe(256 * 1024 * 1024);
    expect(parseDuration("1.5s")).toBe(1500);
    expect(parseDuration("2m")).toBe(120_000);
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
