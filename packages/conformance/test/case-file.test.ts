// Case file validation: every mistake names the file, the case and the key.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readCaseFile, validateCaseFile } from "../src/case-file.js";

const FILE = "tools/x/conformance.yaml";
const valid = (doc: unknown) => validateCaseFile(doc, FILE);
const one = (c: Record<string, unknown>) => ({ cases: [{ name: "n", tool: "t", expect: { result: 1 }, ...c }] });

describe("validateCaseFile", () => {
  it("reads a full case file", () => {
    const parsed = valid({
      component: "dist/x.wasm",
      world: "files",
      "allow-imports": [{ interface: "wasi:filesystem/types", reason: "why" }],
      cases: [
        { name: "a", tool: "t", arguments: { x: 1 }, expect: { contains: { y: 2 } }, grants: { storage: [{ uri: "fs://{tool}/d" }], network: [{ host: "{http-host}" }], environment: [{ key: "K" }] } },
        { name: "b", tool: "t", expect: { denied: "network" } },
      ],
    });
    expect(parsed.cases[0]!.grants).toEqual({ storage: [{ uri: "fs://{tool}/d", access: ["read"] }], network: [{ host: "{http-host}" }], environment: [{ key: "K" }] });
    expect(parsed.cases[1]).toEqual({ name: "b", tool: "t", arguments: {}, expect: { denied: "network" } });
    expect(parsed.allowImports).toEqual([{ interface: "wasi:filesystem/types", reason: "why" }]);
  });

  it("names the case and the key of an unknown key", () => {
    expect(() => valid(one({ argumnets: {} }))).toThrow(`${FILE}: cases[0] ("n").argumnets: unknown key (expected one of name, tool, arguments, expect, grants)`);
  });

  it("wants exactly one expectation", () => {
    expect(() => valid(one({ expect: { result: 1, error: "x" } }))).toThrow('cases[0] ("n").expect: expected exactly one of result, contains, error, denied, found result, error');
    expect(() => valid(one({ expect: {} }))).toThrow("found none");
  });

  it("refuses an unknown denial kind and a bad grant", () => {
    expect(() => valid(one({ expect: { denied: "disk" } }))).toThrow('cases[0] ("n").expect.denied: expected storage, network or environment, found "disk"');
    expect(() => valid(one({ grants: { storage: [{ uri: "/tmp" }] } }))).toThrow('cases[0] ("n").grants.storage[0].uri: expected an fs:// URI');
    expect(() => valid(one({ grants: { storage: [{ uri: "fs:///d", access: ["exec"] }] } }))).toThrow('grants.storage[0].access: expected a list of "read" and/or "write"');
    expect(() => valid(one({ grants: {} }))).toThrow("grants: grants nothing");
  });

  it("refuses two cases with one name, and a case without a tool", () => {
    expect(() => valid({ cases: [one({}).cases[0], one({}).cases[0]] })).toThrow('cases[1] ("n").name: another case has the same name');
    expect(() => valid({ cases: [{ name: "n", expect: { result: 1 } }] })).toThrow('cases[0] ("n").tool: is required');
  });

  it("refuses an allow-imports entry without a reason or with a version", () => {
    expect(() => valid({ "allow-imports": [{ interface: "wasi:http/types" }] })).toThrow("allow-imports[0].reason: is required");
    expect(() => valid({ "allow-imports": [{ interface: "wasi:http/types@0.2.12", reason: "r" }] })).toThrow("expected an interface name without version");
  });
});

describe("readCaseFile", () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it("names the file for YAML syntax errors", async () => {
    const dir = await mkdtemp(join(tmpdir(), "conformance-cases-"));
    dirs.push(dir);
    await writeFile(join(dir, "conformance.yaml"), "cases:\n  - name: [unclosed\n");
    expect(() => readCaseFile(join(dir, "conformance.yaml"))).toThrow(`${join(dir, "conformance.yaml")}: not valid YAML`);
  });
});
