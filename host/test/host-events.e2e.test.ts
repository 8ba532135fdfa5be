// One event path for the whole host: a component loaded by another process or by the
// load-component tool, and a guest's output, reach every connection, over stdio and over HTTP
// with several sessions.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LoggingMessageNotificationSchema, ToolListChangedNotificationSchema, type LoggingMessageNotification } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, connect, fixture, serveHttp, tempHome, type Connected, type TempHome } from "./helpers/airlock.js";
import { Received, watchingGetStream } from "./helpers/notifications.js";
import { verifies } from "./requirements/requirements.js";

type Log = LoggingMessageNotification["params"];

/** A client's notifications of both kinds. */
function listen(client: Client) {
  const changed = new Received<true>();
  const logs = new Received<Log>();
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => changed.add(true));
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => logs.add(n.params));
  return { changed, logs };
}

const toolNames = async (client: Client) => (await client.listTools()).tools.map((t) => t.name);
const shoutLog = (l: Log) => l.logger === "troublemaker" && String(l.data).startsWith("events on stderr");

describe("over stdio", () => {
  let home: TempHome;
  let mcp: Connected;
  let heard: ReturnType<typeof listen>;
  beforeAll(async () => {
    home = await tempHome();
    expect((await airlock(home, "load", fixture("troublemaker"))).code).toBe(0);
    mcp = await connect(home);
    heard = listen(mcp.client);
  });
  afterAll(async () => {
    await mcp?.close();
    await home?.cleanup();
  });

  it("tells the client of a component another process loaded", async () => {
    verifies("mcp:tools:list-changed");
    const changed = heard.changed.next(() => true, "tools/list_changed");
    expect((await airlock(home, "load", fixture("wat-scalars"))).code).toBe(0);
    await changed;
    expect(await toolNames(mcp.client)).toContain("scalar-u8");
  });

  it("tells the client of a component the load-component tool loaded", async () => {
    const changed = heard.changed.next(() => true, "tools/list_changed");
    await mcp.client.callTool({ name: "load-component", arguments: { path: `file://${fixture("type-zoo")}` } });
    await changed;
  });

  it("sends guest output as notifications/message", async () => {
    verifies("contract:deny:stdio", "mcp:logging:notifications");
    const logged = heard.logs.next(shoutLog, "guest output");
    await mcp.client.callTool({ name: "shout", arguments: { text: "events", times: 1 } });
    expect(await logged).toMatchObject({ level: "warning", logger: "troublemaker", data: "events on stderr 0" });
  });
});

describe("over HTTP, to every session", () => {
  let home: TempHome;
  let server: Awaited<ReturnType<typeof serveHttp>>;
  const sessions: { client: Client; heard: ReturnType<typeof listen> }[] = [];

  beforeAll(async () => {
    home = await tempHome();
    expect((await airlock(home, "load", fixture("troublemaker"))).code).toBe(0);
    server = await serveHttp(home);
    for (let i = 0; i < 2; i++) {
      const stream = watchingGetStream();
      const client = new Client({ name: `session-${i + 1}`, version: "0" });
      const heard = listen(client);
      await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { authorization: `Bearer ${server.token}` } }, fetch: stream.fetch }));
      // Notifications that belong to no request travel on the session's GET stream.
      await stream.open;
      sessions.push({ client, heard });
    }
  });
  afterAll(async () => {
    for (const { client } of sessions) await client.close();
    server?.stop();
    await home?.cleanup();
  });

  it("tells both sessions of a component another process loaded", async () => {
    verifies("mcp:tools:list-changed");
    const changed = sessions.map(({ heard }, i) => heard.changed.next(() => true, `tools/list_changed in session ${i + 1}`));
    expect((await airlock(home, "load", fixture("wat-scalars"))).code).toBe(0);
    await Promise.all(changed);
    for (const { client } of sessions) expect(await toolNames(client)).toContain("scalar-u8");
  });

  it("tells the other session of a component the load-component tool loaded in one", async () => {
    verifies("contract:builtins:load-unload");
    const changed = sessions.map(({ heard }, i) => heard.changed.next(() => true, `tools/list_changed in session ${i + 1}`));
    const loaded = await sessions[0]!.client.callTool({ name: "load-component", arguments: { path: `file://${fixture("type-zoo")}` } });
    expect(loaded.isError).toBeFalsy();
    await Promise.all(changed);
    expect(await toolNames(sessions[1]!.client)).toContain("echo-u8");
  });

  it("sends guest output as notifications/message, at each session's own level", async () => {
    verifies("contract:deny:stdio", "mcp:logging:notifications");
    // Session 2 wants errors only: the guest's stderr (warning) and stdout (info) are not sent to it.
    await sessions[1]!.client.setLoggingLevel("error");
    const logged = sessions[0]!.heard.logs.next(shoutLog, "guest output in session 1");
    await sessions[0]!.client.callTool({ name: "shout", arguments: { text: "events", times: 1 } });
    expect(await logged).toMatchObject({ level: "warning", logger: "troublemaker", data: "events on stderr 0" });
    // The stdout line comes through the same path: once session 1 has it, session 2 was passed over.
    await sessions[0]!.heard.logs.next((l) => l.logger === "troublemaker" && l.data === "events 0", "guest stdout in session 1", 30_000, 0);
    expect(sessions[1]!.heard.logs.items.filter((l) => l.logger === "troublemaker")).toEqual([]);
  });
});
