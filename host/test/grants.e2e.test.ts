// Grants through the built-in MCP tools: they take effect on the next call without a restart,
// survive a restart, and a revoke takes effect at once. Loading and unloading change the tool
// list and say so.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { ToolListChangedNotificationSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlockCommand } from "../src/cli-command.js";
import { connect, fixture, serveComponents } from "./helpers/airlock.js";
import { verifies } from "./requirements/requirements.js";

const FILE_READER = join(import.meta.dirname, "..", "..", "tools", "file-reader", "dist", "file-reader.wasm");
let served: Awaited<ReturnType<typeof serveComponents>>;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "airlock-grants-"));
  await mkdir(join(dir, "notes"));
  await writeFile(join(dir, "notes", "todo.md"), "- write tests\n");
  served = await serveComponents(FILE_READER);
});
afterAll(async () => {
  await served?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

const call = async (name: string, args: Record<string, unknown>) => (await served.mcp.client.callTool({ name, arguments: args })) as CallToolResult;
const text = (result: CallToolResult) => result.content.map((c) => (c as { text: string }).text).join("\n");
const readTodo = () => call("read-file", { path: join(dir, "notes", "todo.md") });

describe("grants through MCP", () => {
  it("denies before the grant, naming the narrowest grant with the component's own id", async () => {
    const result = await readTodo();
    expect(result.isError).toBe(true);
    const notes = join(dir, "notes");
    expect(text(result)).toBe(
      `error: ${join(notes, "todo.md")} is outside the directories this tool may read (none granted)\n` +
        `Airlock denied read access to ${JSON.stringify(join(notes, "todo.md"))}: the path is outside every granted directory. ` +
        `To allow it: grant-storage-permission {"component_id":"file-reader","details":{"uri":"fs://${notes}","access":["read"]}} (CLI: ${airlockCommand()} grant file-reader storage ${notes} --access read)`,
    );
    // The denial is audited like any other.
    expect((result._meta?.["airlock/audit"] as { denied: string[] }).denied).toEqual([`file read ${join(notes, "todo.md")}`]);
    // A listing needs the directory itself, not its parent.
    expect(text(await call("list-directory", { path: notes }))).toContain(`(CLI: ${airlockCommand()} grant file-reader storage ${notes} --access read)`);
  });

  it("suggests no grant of a system directory, the home directory or credentials", async () => {
    for (const [path, why] of [
      ["/etc/passwd", "/etc is a system directory"],
      ["/", "/ is the whole file system"],
      [join(homedir(), "notes.txt"), `${homedir()} is ${homedir() === "/root" ? "in the administrator's home directory" : "the home directory itself"}`],
    ] as const) {
      const denied = text(await call(path === "/" ? "list-directory" : "read-file", { path }));
      expect(denied).toContain(`No grant is suggested: ${why}, and granting it would expose far more than this path. Copy what the tool needs into a directory of its own and grant that.`);
      expect(denied).not.toMatch(/grant-storage-permission|CLI:/);
    }
  });

  it("a grant works on the next call, and get-policy shows it", async () => {
    verifies("contract:builtins:grants");
    const granted = await call("grant-storage-permission", { component_id: "file-reader", details: { uri: `fs://${join(dir, "notes")}`, access: ["read"] } });
    expect(granted.isError).toBeFalsy();
    const result = await readTodo();
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { result: { lines: unknown[] } }).result.lines).toEqual([{ number: 1, text: "- write tests" }]);
    const policy = await call("get-policy", { component_id: "file-reader" });
    expect(policy.structuredContent).toEqual({
      component_id: "file-reader",
      policy: { version: "1.0", permissions: { storage: { allow: [{ uri: `fs://${join(dir, "notes")}`, access: ["read"] }] } } },
    });
  });

  it("the grant is still in force after restarting the host", async () => {
    await served.mcp.close();
    served.mcp = await connect(served.home);
    expect((await readTodo()).isError).toBeFalsy();
  });

  it("a revoke takes effect immediately", async () => {
    const revoked = await call("revoke-storage-permission", { component_id: "file-reader", details: { uri: `fs://${join(dir, "notes")}/` } });
    expect(revoked.isError, text(revoked)).toBeFalsy();
    expect((await readTodo()).isError).toBe(true);
  });

  it("keeps every one of many concurrent grants and revokes", async () => {
    const hosts = Array.from({ length: 10 }, (_, i) => `h${i}.example.com`);
    await Promise.all(hosts.map((host) => call("grant-network-permission", { component_id: "file-reader", details: { host } })));
    const granted = (await call("get-policy", { component_id: "file-reader" })).structuredContent as { policy: { permissions?: { network?: { allow: { host: string }[] } } } };
    expect(granted.policy.permissions?.network?.allow.map((g) => g.host).sort()).toEqual(hosts);
    const revokes = await Promise.all(hosts.map((host) => call("revoke-network-permission", { component_id: "file-reader", details: { host } })));
    expect(revokes.filter((r) => r.isError).map(text)).toEqual([]);
    const revoked = (await call("get-policy", { component_id: "file-reader" })).structuredContent as { policy: { permissions?: { network?: unknown } } };
    expect(revoked.policy.permissions?.network).toBeUndefined();
  });

  it("refuses component ids that are paths", async () => {
    const result = await call("unload-component", { id: "../../etc/passwd" });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('no component "../../etc/passwd"');
  });

  it("a revoke of something never granted is an error naming what is granted, not a silent success", async () => {
    const result = await call("revoke-network-permission", { component_id: "file-reader", details: { host: "never.example.com" } });
    expect(result.isError).toBe(true);
    expect(text(result)).toBe('"file-reader" has no network grant for never.example.com; it has no network grants');
  });

  it("refuses malformed grants with a clear error", async () => {
    const badHost = await call("grant-network-permission", { component_id: "file-reader", details: { host: "https://example.com/x" } });
    expect(badHost.isError).toBe(true);
    expect(text(badHost)).toContain('"https://example.com/x" is not a host name');
    const unknown = await call("grant-environment-variable-permission", { component_id: "nobody", details: { key: "HOME" } });
    expect(text(unknown)).toContain('no component "nobody"');
    const missing = await call("grant-storage-permission", { component_id: "file-reader", details: { uri: "fs:///tmp" } });
    expect(text(missing)).toContain("/details/access: is required but missing (required)");
  });
});

describe("loading and unloading through MCP", () => {
  it("load-component adds tools and sends tools/list_changed; unload-component removes them", async () => {
    verifies("contract:builtins:load-unload", "mcp:tools:list-changed");
    let changed = 0;
    served.mcp.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void changed++);
    const loaded = await call("load-component", { path: `file://${fixture("wat-scalars")}` });
    expect(loaded.structuredContent).toMatchObject({ id: "wat-scalars" });
    expect((await call("scalar-u8", { x: 7 })).structuredContent).toEqual({ result: 7 });
    const listed = await call("list-components", {});
    expect((listed.structuredContent as { components: { id: string }[] }).components.map((c) => c.id).sort()).toEqual(["file-reader", "wat-scalars"]);
    await call("unload-component", { id: "wat-scalars" });
    await expect(call("scalar-u8", { x: 7 })).rejects.toThrow('unknown tool "scalar-u8"');
    for (let i = 0; i < 50 && changed < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(changed).toBe(2);
  });
});
