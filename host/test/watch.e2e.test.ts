// A running `airlock serve` follows its store: a component loaded, rebuilt (same id, new bytes)
// or unloaded by another process is picked up, and the client gets notifications/tools/list_changed.
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, connect, fixture, tempHome, type Connected, type TempHome } from "./helpers/airlock.js";

let home: TempHome;
let work: string;
let mcp: Connected;
let notifications = 0;
const waiters: (() => void)[] = [];

function nextListChanged(timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no tools/list_changed within ${timeoutMs} ms; server stderr:\n${mcp.stderr()}`)), timeoutMs);
    waiters.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function toolsOf(component: string): Promise<string[]> {
  const { tools } = await mcp.client.listTools();
  return tools
    .filter((t) => t._meta?.["airlock/component"] === component)
    .map((t) => t.name)
    .sort();
}

beforeAll(async () => {
  home = await tempHome();
  work = await mkdtemp(join(tmpdir(), "airlock-watch-"));
  await copyFile(fixture("wat-scalars"), join(work, "calc.wasm"));
  expect((await airlock(home, "load", join(work, "calc.wasm"))).code).toBe(0);
  mcp = await connect(home);
  mcp.client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    notifications++;
    waiters.shift()?.();
  });
});

afterAll(async () => {
  await mcp?.close();
  await home?.cleanup();
  await rm(work, { recursive: true, force: true });
});

describe("serve watching the store", () => {
  it("reloads a component rebuilt under the same id and sends tools/list_changed", async () => {
    const before = await toolsOf("calc");
    expect(before.length).toBeGreaterThan(0);
    await copyFile(fixture("quickjs-calc"), join(work, "calc.wasm"));
    const changed = nextListChanged();
    expect((await airlock(home, "load", join(work, "calc.wasm"))).code).toBe(0);
    await changed;
    const after = await toolsOf("calc");
    expect(after).toContain("demo_calc_ops_add");
    expect(after).not.toEqual(before);
    const called = await mcp.client.callTool({ name: "greet", arguments: { name: "Ada" } });
    expect(called.structuredContent).toEqual({ result: "hello Ada" });
  });

  it("picks up a component loaded by another process", async () => {
    const changed = nextListChanged();
    expect((await airlock(home, "load", fixture("type-zoo"))).code).toBe(0);
    await changed;
    expect((await toolsOf("type-zoo")).length).toBeGreaterThan(0);
  });

  it("drops a component unloaded by another process", async () => {
    const changed = nextListChanged();
    expect((await airlock(home, "unload", "type-zoo")).code).toBe(0);
    await changed;
    expect(await toolsOf("type-zoo")).toEqual([]);
  });

  it("survives a half-written component and a store entry whose file is broken, and keeps serving", async () => {
    const seen = notifications;
    const components = join(home.dir, "components");
    await writeFile(join(components, "calc.wasm.999.1.tmp"), new Uint8Array([0, 97, 115]));
    await writeFile(join(components, "broken.wasm"), new Uint8Array([0, 97, 115, 109, 13, 0, 1, 0, 0x7f, 0xff, 0xff]));
    await writeFile(join(components, "broken.json"), JSON.stringify({ id: "broken", source: "file:///nowhere/broken.wasm", sha256: "0".repeat(64), size: 8, loadedAt: new Date().toISOString() }));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(notifications, mcp.stderr()).toBe(seen);
    expect(mcp.stderr()).toMatch(/could not reload component "broken"/);
    expect((await mcp.client.callTool({ name: "greet", arguments: { name: "Bo" } })).structuredContent).toEqual({ result: "hello Bo" });
  });
});
