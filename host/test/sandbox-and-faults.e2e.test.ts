// A misbehaving component through the real host and a real MCP client: it writes to stdout and
// stderr (including a forged JSON-RPC response), returns error results, traps, logs through
// airlock:tool/logging and looks at its surroundings.
import { join } from "node:path";
import { LoggingMessageNotificationSchema, type LoggingMessageNotification } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, connect, tempHome, type Connected, type TempHome } from "./helpers/airlock.js";
import { verifies } from "./requirements/requirements.js";

const TROUBLEMAKER = join(import.meta.dirname, "fixtures", "troublemaker", "dist", "troublemaker.wasm");

let home: TempHome;
let mcp: Connected;
const logs: LoggingMessageNotification["params"][] = [];

beforeAll(async () => {
  home = await tempHome();
  home.env.AIRLOCK_TEST_SECRET = "hunter2";
  expect((await airlock(home, "load", TROUBLEMAKER)).code).toBe(0);
  mcp = await connect(home);
  mcp.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params));
  await mcp.client.setLoggingLevel("debug");
});

afterAll(async () => {
  await mcp?.close();
  await home?.cleanup();
});

const textOf = (result: object) => ((result as { content: unknown }).content as { text: string }[])[0]!.text;

async function waitFor<T>(probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("timed out waiting");
}

describe("guest output never reaches the protocol stream", () => {
  it("turns guest stdout and stderr, even a forged JSON-RPC response, into MCP log messages", async () => {
    verifies("contract:deny:stdio");
    const result = await mcp.client.callTool({ name: "shout", arguments: { text: "hello", times: 3 } });
    expect(result.structuredContent).toEqual({ result: "hello" });
    const forged = await waitFor(() => logs.find((l) => String(l.data).includes('"forged":true')));
    expect(forged).toMatchObject({ level: "info", logger: "troublemaker" });
    await waitFor(() => (logs.filter((l) => String(l.data).startsWith("hello on stderr")).length === 3 ? true : undefined));
    expect(logs.find((l) => l.data === "hello on stderr 0")?.level).toBe("warning");
    expect(mcp.protocolErrors).toEqual([]);
  });
});

describe("results, errors and traps", () => {
  it("maps a WIT error result to isError with the error value as text and structured content", async () => {
    verifies("contract:components:error-result", "mcp:tools:error-result");
    const result = await mcp.client.callTool({ name: "refuse", arguments: { reason: "not today" } });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toEqual({ error: "not today" });
    expect(textOf(result)).toBe("error: not today");
  });

  it("reports an uncaught exception in the tool's own words and place, and the same tool works on the next call", async () => {
    logs.length = 0;
    const crashed = await mcp.client.callTool({ name: "crash", arguments: {} });
    expect(crashed.isError).toBe(true);
    // The message and the line of src/component.ts that threw it, not "unreachable".
    expect(textOf(crashed)).toMatch(/^troublemaker threw in crash: deliberate crash \(at src\/component\.ts:19:\d+\)$/);
    expect(crashed._meta?.["airlock/trap"]).toMatch(/unreachable/);
    // And as a log message at level error, with the stack in the tool's sources.
    await waitFor(() => logs.find((l) => l.level === "error" && String(l.data).includes("at crash (src/component.ts:19:")));
    const again = await mcp.client.callTool({ name: "refuse", arguments: { reason: "still here" } });
    expect(again.structuredContent).toEqual({ error: "still here" });
    const shout = await mcp.client.callTool({ name: "shout", arguments: { text: "back", times: 0 } });
    expect(shout.structuredContent).toEqual({ result: "back" });
  });
});

describe("host services", () => {
  it("forwards airlock:tool/logging messages as MCP notifications at their level", async () => {
    verifies("mcp:logging:notifications");
    const result = await mcp.client.callTool({ name: "chatter", arguments: {} });
    expect(result.structuredContent).toEqual({ result: 5 });
    const levels = await waitFor(() => {
      const found = logs.filter((l) => String(l.data).endsWith(" message") && l.logger === "troublemaker").map((l) => l.level);
      return found.length === 5 ? found : undefined;
    });
    expect(levels).toEqual(["debug", "info", "notice", "warning", "error"]);
  });
});

describe("deny by default", () => {
  it("shows the guest no host environment variables, argv of just its id, and no working directory", async () => {
    verifies("contract:deny:environment");
    const result = await mcp.client.callTool({ name: "surroundings", arguments: {} });
    expect(result.structuredContent).toEqual({ result: [[], ["troublemaker"], null] });
    expect(JSON.stringify(result)).not.toContain("hunter2");
  });
});
