// Tool and parameter descriptions come from the component's own WIT doc comments: functions
// and record fields through the `package-docs` section, parameters and interface functions
// through `airlock-docs`. Every schema passes the MCP Inspector's portability check.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, fixture, GRAMMAR_CHECKER, serveComponents } from "./helpers/airlock.js";
import { verifies } from "./requirements/requirements.js";

const SERVED = [GRAMMAR_CHECKER, fixture("type-zoo"), fixture("wat-scalars"), fixture("quickjs-calc"), fixture("troublemaker")];
let served: Awaited<ReturnType<typeof serveComponents>>;
let tools: Tool[];

beforeAll(async () => {
  served = await serveComponents(...SERVED);
  tools = (await served.mcp.client.listTools()).tools;
});
afterAll(() => served?.cleanup());

const tool = (name: string) => tools.find((t) => t.name === name)!;
const property = (t: Tool, name: string) => (t.inputSchema.properties as Record<string, Record<string, unknown>>)[name]!;

describe("descriptions", () => {
  it("uses a function's WIT doc comment as the tool description", () => {
    verifies("contract:components:descriptions");
    expect(tool("succeed-or-fail").description).toBe("Returns `ok` as a success, or fails with `error` as a WIT error result.");
  });

  it("describes a function inside an exported interface and its parameters from their doc comments", () => {
    const area = tool("airlock-fixtures_type-zoo_geometry_area");
    expect(area.description).toBe("Area of a shape, in the given unit squared.");
    expect(property(area, "shape").description).toBe("The shape to measure.");
  });

  it("describes records and their fields from their doc comments", () => {
    const record = property(tool("echo-record"), "x");
    expect(record.description).toBe("A record with every kind of field.");
    expect((record.properties as Record<string, { description?: string }>).name?.description).toBe("The animal's name.");
  });

  it("generates a plain description for a function without docs", () => {
    expect(tool("echo-u8").description).toBe("Calls echo-u8 from component type-zoo. Takes x (u8). Returns u8.");
  });
});

describe("schema portability", () => {
  it("passes the MCP Inspector's --strict check for every tool of every fixture and sample tool", async () => {
    // The Inspector's CLI (a devDependency), as installed: it exits non-zero on any problem.
    const inspector = join(import.meta.dirname, "..", "node_modules", ".bin", "mcp-inspector");
    const { stdout } = await promisify(execFile)(inspector, ["--cli", process.execPath, CLI, "serve", "-e", `AIRLOCK_HOME=${served.home.dir}`, "--method", "tools/list", "--strict"], {
      env: served.home.env,
      maxBuffer: 64 * 1024 * 1024,
    });
    const listed = JSON.parse(stdout) as { tools: Tool[] };
    expect(listed.tools.length).toBe(tools.length);
    expect(listed.tools.length).toBeGreaterThan(40);
  }, 120_000);
});
