// Components the host did not build: componentize-qjs (QuickJS) output with a nested component
// layout, an extra `init` export and interface exports; a component exporting a resource; one
// whose core module does not validate; two components wanting the same tool name.
import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlockCommand } from "../src/cli-command.js";
import { airlock, fixture, serveComponents, tempHome } from "./helpers/airlock.js";
import { verifies } from "./requirements/requirements.js";

let served: Awaited<ReturnType<typeof serveComponents>>;

beforeAll(async () => {
  served = await serveComponents(fixture("quickjs-calc"));
});
afterAll(() => served?.cleanup());

describe("a componentize-qjs component", () => {
  it("offers its world function and interface functions as tools, never its init export", async () => {
    verifies("contract:components:any-language");
    const tools = (await served.mcp.client.listTools()).tools.filter((t) => t._meta?.["airlock/component"]);
    expect(tools.map((t) => t.name).sort()).toEqual(["demo_calc_ops_add", "demo_calc_ops_area", "demo_calc_ops_check", "greet"]);
  });

  it("gets plain generated descriptions, since it carries no doc comments", async () => {
    const { tools } = await served.mcp.client.listTools();
    const area = tools.find((t) => t.name === "demo_calc_ops_area")!;
    expect(area.description).toBe("Calls area from interface demo:calc/ops@0.3.0 of component quickjs-calc. Takes s (shape). Returns f64.");
  });

  it("answers calls through MCP, including types an interface uses from another interface", async () => {
    const client = served.mcp.client;
    expect((await client.callTool({ name: "greet", arguments: {} })).structuredContent).toEqual({ result: "hello nobody" });
    expect((await client.callTool({ name: "greet", arguments: { name: "Ada" } })).structuredContent).toEqual({ result: "hello Ada" });
    expect((await client.callTool({ name: "demo_calc_ops_area", arguments: { s: { tag: "square", val: 3 } } })).structuredContent).toEqual({ result: 9 });
    const checked = await client.callTool({ name: "demo_calc_ops_check", arguments: { p: ["write"], at: { x: 1, y: -2 } } });
    expect(checked.structuredContent).toEqual({
      result: [
        { x: 1, y: -2 },
        { x: 2, y: -1 },
      ],
    });
  });

  it("refuses arguments that do not fit the interface's types", async () => {
    const result = await served.mcp.client.callTool({ name: "demo_calc_ops_check", arguments: { p: ["fly"], at: { x: 1 } } });
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]!.text).toBe(
      'invalid arguments for demo_calc_ops_check: /p/0: must be one of ["read","write"] (enum), received "fly"; /at/y: is required but missing (required)',
    );
  });
});

describe("components that cannot be served", () => {
  it("refuses at load a component whose function returns a resource, naming the function", async () => {
    const home = await tempHome();
    try {
      const result = await airlock(home, "load", fixture("quickjs-resource"));
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'airlock: component "quickjs-resource" cannot be served: function "demo_counter_counters_make-counter" uses the resource type "counter", which cannot be passed as JSON; only functions whose parameters and results are plain data (no resources, streams or futures) can become MCP tools\n',
      );
      expect((await airlock(home, "list")).stdout).toMatch(/^no components/);
    } finally {
      await home.cleanup();
    }
  });

  it("runs none of a component whose core module does not validate, and says why", async () => {
    const home = await tempHome();
    try {
      expect((await airlock(home, "load", fixture("invalid-body"))).code).toBe(0);
      // `good` itself is valid: the whole module is refused before anything in it runs.
      for (const tool of ["good", "bad"]) {
        const result = await airlock(home, "call", "invalid-body", tool);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/^airlock: component "invalid-body" could not be started: type mismatch: expected i32, found i64/);
      }
    } finally {
      await home.cleanup();
    }
  });

  it("drops the grants of a component when a different file is loaded under its name", async () => {
    const home = await tempHome();
    try {
      const copy = join(home.dir, "quickjs-calc.wasm");
      expect((await airlock(home, "load", fixture("quickjs-calc"))).code).toBe(0);
      await airlock(home, "grant", "quickjs-calc", "network", "api.example.com");
      expect((await airlock(home, "load", fixture("quickjs-calc"))).code).toBe(0);
      expect((await airlock(home, "policy", "quickjs-calc")).stdout).toContain("api.example.com");
      await copyFile(fixture("wat-scalars"), copy);
      expect((await airlock(home, "load", copy)).code).toBe(0);
      expect((await airlock(home, "policy", "quickjs-calc")).stdout).not.toContain("api.example.com");
    } finally {
      await home.cleanup();
    }
  });

  it("refuses a second component whose tool names collide, naming both components", async () => {
    const home = await tempHome();
    try {
      const copy = join(home.dir, "calc-copy.wasm");
      await copyFile(fixture("quickjs-calc"), copy);
      expect((await airlock(home, "load", fixture("quickjs-calc"))).code).toBe(0);
      const second = await airlock(home, "load", copy);
      expect(second.code).toBe(1);
      expect(second.stderr).toBe(
        `airlock: tool name collision: "greet" is exported by both component "quickjs-calc" and component "calc-copy"; unload one of them (${airlockCommand()} unload <id>)\n`,
      );
    } finally {
      await home.cleanup();
    }
  });
});
