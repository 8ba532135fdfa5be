// Attacks on grants and revokes (hardening item 4), through the real CLI and a real MCP client,
// with a real component (intruder) that reports its preopens and reads and writes through WASI
// with no checks of its own. A storage path written oddly (`fs:///x//g/`) must be stored, matched,
// revoked and enforced as the one directory it names; a revoke that matches nothing must fail
// and say what is granted, never answer "revoked" while the grant stays.
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { airlock, connect, fixture, serveComponents, tempHome, type TempHome } from "./helpers/airlock.js";

let root: string;
/** The directory every attack aims at: `<root>/x/g`. */
const g = () => join(root, "x", "g");
const data = () => join(root, "data");
const rw = () => join(root, "rw");
/** `fs://<root>/x//g/`: the same directory, spelled with a doubled and a trailing slash. */
const oddG = () => `fs://${join(root, "x")}//g/`;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "airlock-grant-attack-"));
  for (const dir of ["x/g/sub", "data", "rw"]) await mkdir(join(root, dir), { recursive: true });
  await writeFile(join(g(), "sub", "inside.txt"), "inside g\n");
});
afterAll(async () => rm(root, { recursive: true, force: true }));

// Each attack runs several real CLI processes one after another: room for a loaded machine.
const SLOW = { timeout: 120_000 };
const text = (result: CallToolResult) => result.content.map((c) => (c as { text: string }).text).join("\n");

describe("grant and revoke attacks through the CLI", SLOW, () => {
  let home: TempHome;
  beforeAll(async () => {
    home = await tempHome();
    const loaded = await airlock(home, "load", fixture("intruder"));
    expect(loaded.code, loaded.stderr).toBe(0);
  });
  afterAll(async () => home?.cleanup());
  // Each attack starts from no grants.
  beforeEach(async () => expect((await airlock(home, "revoke", "intruder", "all")).code).toBe(0));

  const policyText = async () => {
    const shown = await airlock(home, "policy", "intruder");
    expect(shown.code, shown.stderr).toBe(0);
    return shown.stdout;
  };

  it("a grant of a path that does not exist (a typo) warns, and --strict refuses it", async () => {
    const typo = join(root, "dta");
    const warned = await airlock(home, "grant", "intruder", "storage", typo, "--access", "read");
    expect(warned).toMatchObject({ code: 0, stderr: `airlock: warning: ${typo} does not exist (yet): the grant takes effect once it does; check the path for a typo\n` });
    expect((await airlock(home, "grant", "intruder", "storage", data(), "--access", "read")).stderr).toBe("");
    const strict = await airlock(home, "grant", "intruder", "storage", join(root, "dta2"), "--access", "read", "--strict");
    expect(strict).toMatchObject({ code: 1, stderr: `airlock: ${join(root, "dta2")} does not exist; nothing was granted (--strict)\n` });
    expect(await policyText()).not.toContain("dta2");
  });

  it("a grant of fs:///x//g/ is stored as the canonical fs:///x/g", async () => {
    const granted = await airlock(home, "grant", "intruder", "storage", oddG(), "--access", "read,write");
    expect(granted).toMatchObject({ code: 0, stdout: `granted intruder storage ${g()} (read, write)\n` });
    const shown = await policyText();
    expect(shown).toContain(`- uri: fs://${g()}\n`);
    expect(shown).not.toContain("//g");
  });

  it("a read-only grant of /x/g/sub cannot slip in beside the read-write fs:///x//g/", async () => {
    expect((await airlock(home, "grant", "intruder", "storage", oddG(), "--access", "read,write")).code).toBe(0);
    for (const nested of [join(g(), "sub"), `fs://${join(root, "x")}//g/./sub/`]) {
      const refused = await airlock(home, "grant", "intruder", "storage", nested, "--access", "read");
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `airlock: ${join(g(), "sub")} is inside ${g()}, which is granted read and write: a read-only grant inside it would not stop writes; revoke ${g()} first or grant ${join(g(), "sub")} read and write\n`,
      );
    }
    expect(await policyText()).not.toContain("sub");
  });

  it("revoke /x/g really removes the grant made as fs:///x//g/", async () => {
    expect((await airlock(home, "grant", "intruder", "storage", oddG(), "--access", "read,write")).code).toBe(0);
    const revoked = await airlock(home, "revoke", "intruder", "storage", g());
    expect(revoked).toMatchObject({ code: 0, stdout: `revoked intruder storage ${g()}\n`, stderr: "" });
    const shown = await policyText();
    expect(shown).not.toContain("uri:");
    expect(shown).not.toContain("storage");
  });

  it("a revoke that matches no grant fails (exit 1) and says what is granted, instead of answering revoked", async () => {
    expect((await airlock(home, "grant", "intruder", "storage", data(), "--access", "read")).code).toBe(0);
    expect((await airlock(home, "grant", "intruder", "storage", rw(), "--access", "read,write")).code).toBe(0);
    const before = await policyText();
    expect(await airlock(home, "revoke", "intruder", "storage", g())).toEqual({
      code: 1,
      stdout: "",
      stderr: `airlock: "intruder" has no storage grant for ${g()}; its storage grants are: ${data()} (read), ${rw()} (read, write)\n`,
    });
    // A subdirectory of a grant is not the grant: "revoking" it would leave it readable.
    expect((await airlock(home, "revoke", "intruder", "storage", join(data(), "sub"))).code).toBe(1);
    expect(await airlock(home, "revoke", "intruder", "network", "example.com")).toEqual({
      code: 1,
      stdout: "",
      stderr: 'airlock: "intruder" has no network grant for example.com; it has no network grants\n',
    });
    expect(await airlock(home, "revoke", "intruder", "env", "HOME")).toEqual({
      code: 1,
      stdout: "",
      stderr: 'airlock: "intruder" has no environment variable grant for HOME; it has no environment variable grants\n',
    });
    expect(await policyText()).toBe(before);
  });

  it("revoke all still succeeds with nothing granted, and a later revoke says there are no grants", async () => {
    expect(await airlock(home, "revoke", "intruder", "all")).toMatchObject({ code: 0, stdout: "revoked every grant of intruder\n" });
    expect((await airlock(home, "revoke", "intruder", "storage", g())).stderr).toBe(`airlock: "intruder" has no storage grant for ${g()}; it has no storage grants\n`);
  });

  it("a hand-edited policy granting fs:///x//g/ read is enforced as /x/g: readable, not writable, and revocable as /x/g", async () => {
    const file = (await policyText()).split("\n")[0]!.replace(/^# /, "");
    const edited = `version: "1.0"\npermissions:\n  storage:\n    allow:\n      - uri: "${oddG()}"\n        access: ["read"]\n`;
    await writeFile(`${file}.tmp`, edited);
    await rename(`${file}.tmp`, file);
    const mcp = await connect(home);
    try {
      const call = async (name: string, args: Record<string, unknown>) => (await mcp.client.callTool({ name, arguments: args })) as CallToolResult;
      expect((await call("preopens", {})).structuredContent).toEqual({ result: [g()] });
      expect((await call("read-at", { dir: g(), path: "sub/inside.txt" })).structuredContent).toEqual({ result: "inside g\n" });
      const write = await call("write-at", { dir: g(), path: "sub/inside.txt", text: "pwned" });
      expect(write.isError).toBe(true);
      expect(text(write)).toContain(`the grant on ${g()} is read only`);
      expect(await readFile(join(g(), "sub", "inside.txt"), "utf8")).toBe("inside g\n");
      // The refusal of a write grant around a read-only one sees the hand-edited spelling too.
      const around = await airlock(home, "grant", "intruder", "storage", join(root, "x"), "--access", "read,write");
      expect(around.code).toBe(1);
      expect(around.stderr).toContain(`${join(root, "x")} contains ${g()}, which is granted read only`);
      // The revoke names the directory as the user knows it, and the next call has no preopen.
      expect(await airlock(home, "revoke", "intruder", "storage", g())).toMatchObject({ code: 0, stdout: `revoked intruder storage ${g()}\n` });
      expect((await call("preopens", {})).structuredContent).toEqual({ result: [] });
      expect(await readFile(file, "utf8")).not.toContain("//g");
    } finally {
      await mcp.close();
    }
  });

  it("a hand-edited policy hiding .. in escapes (fs:///x/%2E%2E/...) is refused, not granted", async () => {
    const file = (await policyText()).split("\n")[0]!.replace(/^# /, "");
    const uri = `fs://${g()}/%2E%2E/%2E%2E/data`;
    await writeFile(`${file}.tmp`, `version: "1.0"\npermissions:\n  storage:\n    allow:\n      - uri: "${uri}"\n        access: ["read"]\n`);
    await rename(`${file}.tmp`, file);
    const shown = await airlock(home, "policy", "intruder");
    expect(shown.code).toBe(1);
    expect(shown.stderr).toContain(`invalid policy at permissions.storage.allow.0.uri: "${uri}" contains ".."`);
    await rm(file);
  });
});

describe("grant and revoke attacks through MCP", SLOW, () => {
  let served: Awaited<ReturnType<typeof serveComponents>>;
  beforeAll(async () => {
    served = await serveComponents(fixture("intruder"));
  });
  afterAll(async () => served?.cleanup());
  beforeEach(async () => expect((await call("reset-permission", { component_id: "intruder" })).isError).toBeFalsy());

  const call = async (name: string, args: Record<string, unknown>) => (await served.mcp.client.callTool({ name, arguments: args })) as CallToolResult;
  const storedPolicy = async () => ((await call("get-policy", { component_id: "intruder" })).structuredContent as { policy: unknown }).policy;

  it("grant-storage-permission of a path that does not exist says so in its answer", async () => {
    const typo = join(root, "dta");
    const granted = await call("grant-storage-permission", { component_id: "intruder", details: { uri: `fs://${typo}`, access: ["read"] } });
    expect(granted.isError).toBeFalsy();
    expect(text(granted).startsWith(`warning: ${typo} does not exist (yet)`), text(granted)).toBe(true);
    expect(text(await call("grant-storage-permission", { component_id: "intruder", details: { uri: `fs://${data()}`, access: ["read"] } }))).not.toContain("warning");
  });

  it("grant-storage-permission of fs:///x//g/ is stored as fs:///x/g and enforced there", async () => {
    const granted = await call("grant-storage-permission", { component_id: "intruder", details: { uri: oddG(), access: ["read", "write"] } });
    expect(granted.isError, text(granted)).toBeFalsy();
    const canonical = { version: "1.0", permissions: { storage: { allow: [{ uri: `fs://${g()}`, access: ["read", "write"] }] } } };
    expect((granted.structuredContent as { policy: unknown }).policy).toEqual(canonical);
    expect(await storedPolicy()).toEqual(canonical);
    expect((await call("preopens", {})).structuredContent).toEqual({ result: [g()] });
  });

  it("a read-only grant of /x/g/sub cannot slip in beside the read-write fs:///x//g/", async () => {
    expect((await call("grant-storage-permission", { component_id: "intruder", details: { uri: oddG(), access: ["read", "write"] } })).isError).toBeFalsy();
    const nested = await call("grant-storage-permission", { component_id: "intruder", details: { uri: `fs://${join(g(), "sub")}`, access: ["read"] } });
    expect(nested.isError).toBe(true);
    expect(text(nested)).toContain(`${join(g(), "sub")} is inside ${g()}, which is granted read and write`);
    expect(await storedPolicy()).toEqual({ version: "1.0", permissions: { storage: { allow: [{ uri: `fs://${g()}`, access: ["read", "write"] }] } } });
  });

  it("revoke-storage-permission of /x/g really removes the grant made as fs:///x//g/", async () => {
    expect((await call("grant-storage-permission", { component_id: "intruder", details: { uri: oddG(), access: ["read", "write"] } })).isError).toBeFalsy();
    const revoked = await call("revoke-storage-permission", { component_id: "intruder", details: { uri: `fs://${g()}` } });
    expect(revoked.isError, text(revoked)).toBeFalsy();
    expect(await storedPolicy()).toEqual({ version: "1.0" });
    expect((await call("preopens", {})).structuredContent).toEqual({ result: [] });
    const write = await call("write-at", { dir: g(), path: "pwned.txt", text: "pwned" });
    expect(write.isError).toBe(true);
  });

  it("a revoke that matches no grant is an error saying what is granted, and changes nothing", async () => {
    expect((await call("grant-storage-permission", { component_id: "intruder", details: { uri: `fs://${data()}`, access: ["read"] } })).isError).toBeFalsy();
    expect((await call("grant-storage-permission", { component_id: "intruder", details: { uri: `fs://${rw()}`, access: ["read", "write"] } })).isError).toBeFalsy();
    const before = await storedPolicy();
    const storage = await call("revoke-storage-permission", { component_id: "intruder", details: { uri: `fs://${g()}` } });
    expect(storage.isError).toBe(true);
    expect(text(storage)).toBe(`"intruder" has no storage grant for ${g()}; its storage grants are: ${data()} (read), ${rw()} (read, write)`);
    const network = await call("revoke-network-permission", { component_id: "intruder", details: { host: "example.com" } });
    expect(network.isError).toBe(true);
    expect(text(network)).toBe('"intruder" has no network grant for example.com; it has no network grants');
    const env = await call("revoke-environment-variable-permission", { component_id: "intruder", details: { key: "HOME" } });
    expect(env.isError).toBe(true);
    expect(text(env)).toBe('"intruder" has no environment variable grant for HOME; it has no environment variable grants');
    expect(await storedPolicy()).toEqual(before);
  });

  it("reset-permission still succeeds with nothing granted", async () => {
    const reset = await call("reset-permission", { component_id: "intruder" });
    expect(reset.isError).toBeFalsy();
    expect(await storedPolicy()).toEqual({ version: "1.0" });
  });
});
