// Attacks on the sandbox, each named after the attack, through the real host and a real MCP
// client, by a real component (intruder) that calls WASI directly with no checks of its own.
// None may leak a byte of the protected data, and the host must keep serving after each.
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LoggingMessageNotificationSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlockCommand } from "../src/cli-command.js";
import { airlock, fixture, serveComponents } from "./helpers/airlock.js";
import { redirect, startServer, text, type TestServer } from "./helpers/http-server.js";
import { verifies } from "./requirements/requirements.js";

const SECRET = "TOP-SECRET-7f3a9c";
let root: string;
let served: Awaited<ReturnType<typeof serveComponents>>;
let granted: TestServer;
let forbidden: TestServer;
const logs: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "airlock-attack-"));
  for (const dir of ["data/sub", "data2", "secret", "rw"]) await mkdir(join(root, dir), { recursive: true });
  await writeFile(join(root, "data", "notes.txt"), "public notes\n");
  await writeFile(join(root, "data2", "lookalike.txt"), SECRET);
  await writeFile(join(root, "secret", "secret.txt"), SECRET);
  await symlink(join(root, "secret", "secret.txt"), join(root, "data", "link-absolute"));
  await symlink("../secret/secret.txt", join(root, "data", "link-relative"));
  await symlink("../../secret", join(root, "data", "sub", "dir-link"));

  forbidden = await startServer({ "/secret": text(SECRET) });
  granted = await startServer({
    "/ok": text("hello from a granted host"),
    "/to-forbidden": redirect(`${forbidden.origin}/secret`),
    "/to-localhost": redirect((s) => `http://localhost:${s.port}/ok`),
  });

  served = await serveComponents(fixture("intruder"), join(import.meta.dirname, "..", "..", "tools", "file-reader", "dist", "file-reader.wasm"));
  const { home } = served;
  home.env.AIRLOCK_TEST_SECRET = SECRET;
  home.env.GRANTED_VAR = "visible";
  await airlock(home, "grant", "intruder", "storage", join(root, "data"), "--access", "read");
  await airlock(home, "grant", "intruder", "storage", join(root, "rw"), "--access", "read,write");
  await airlock(home, "grant", "intruder", "network", `127.0.0.1:${granted.port}`);
  await airlock(home, "grant", "intruder", "env", "GRANTED_VAR");
  await airlock(home, "grant", "file-reader", "storage", join(root, "secret"), "--access", "read");
  // Reconnect so the server process sees the environment above.
  await served.mcp.close();
  const { connect } = await import("./helpers/airlock.js");
  served.mcp = await connect(home);
  served.mcp.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(String(n.params.data)));
  await served.mcp.client.setLoggingLevel("debug");
});

afterAll(async () => {
  await served?.cleanup();
  await granted?.close();
  await forbidden?.close();
  await rm(root, { recursive: true, force: true });
});

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await served.mcp.client.callTool({ name, arguments: args })) as CallToolResult;
}

/** A denied attempt: an error, and the secret nowhere in the answer. */
async function expectDenied(name: string, args: Record<string, unknown>, error: string | RegExp): Promise<CallToolResult> {
  const result = await call(name, args);
  expect(result.isError, JSON.stringify(result)).toBe(true);
  expect(JSON.stringify(result)).not.toContain(SECRET);
  expect(JSON.stringify(result.structuredContent ?? result.content)).toMatch(error);
  return result;
}

const data = () => join(root, "data");
const rw = () => join(root, "rw");

describe("file attacks", () => {
  it("the guest sees only its granted directories", async () => {
    expect((await call("preopens", {})).structuredContent).toEqual({ result: [data(), rw()] });
  });

  it("dot-dot escape", async () => {
    verifies("contract:deny:files");
    const result = await expectDenied("read-at", { dir: data(), path: "../secret/secret.txt" }, "not-permitted");
    // The denial is recorded and names the grant that would allow it (the secret's directory).
    const denial = (result.content as { text: string }[]).map((c) => c.text).find((t) => t.startsWith("Airlock denied"));
    expect(denial).toBe(
      `Airlock denied read access to ${JSON.stringify(join(root, "secret", "secret.txt"))}: the path leads outside the granted directory (.., an absolute path or a symlink). ` +
        `To allow it: grant-storage-permission {"component_id":"intruder","details":{"uri":"fs://${join(root, "secret")}","access":["read"]}} (CLI: ${airlockCommand()} grant intruder storage ${join(root, "secret")} --access read)`,
    );
    await expectDenied("read-at", { dir: data(), path: "sub/../../secret/secret.txt" }, "not-permitted");
  });

  it("absolute path", async () => {
    await expectDenied("read-at", { dir: data(), path: join(root, "secret", "secret.txt") }, "not-permitted");
    await expectDenied("read-at", { dir: data(), path: "/etc/passwd" }, "not-permitted");
  });

  it("symlink out of a grant (absolute, relative, and through a directory link)", async () => {
    await expectDenied("read-at", { dir: data(), path: "link-absolute" }, "not-permitted");
    await expectDenied("read-at", { dir: data(), path: "link-relative" }, "not-permitted");
    await expectDenied("read-at", { dir: data(), path: "sub/dir-link/secret.txt" }, "not-permitted");
  });

  it("prefix look-alike: /data granted, /data2 asked", async () => {
    await expectDenied("read-at", { dir: data(), path: "../data2/lookalike.txt" }, "not-permitted");
    await expectDenied("read-at", { dir: `${data()}2`, path: "lookalike.txt" }, `no preopen ${data()}2`);
  });

  it("write through a read-only grant, naming the grant that would allow it", async () => {
    verifies("contract:deny:names-grant");
    const result = await expectDenied("write-at", { dir: data(), path: "notes.txt", text: "pwned" }, "read-only");
    const explanation = (result.content.at(-1) as { text: string }).text;
    expect(explanation).toContain(`Airlock denied write access to "${join(data(), "notes.txt")}": the grant on ${data()} is read only.`);
    expect(explanation).toContain(`grant-storage-permission {"component_id":"intruder","details":{"uri":"fs://${data()}","access":["read","write"]}}`);
    await expectDenied("write-at", { dir: data(), path: "new.txt", text: "pwned" }, "read-only");
    for (const op of ["mkdir", "unlink", "rename", "rmdir", "set-times"]) {
      await expectDenied("mutate-at", { dir: data(), op, path: op === "mkdir" ? "made" : op === "rmdir" ? "sub" : "notes.txt" }, "read-only");
    }
    await expectDenied("mutate-at", { dir: data(), op: "symlink", path: "made" }, "not-permitted");
    expect(await readFile(join(data(), "notes.txt"), "utf8")).toBe("public notes\n");
  });

  it("writes where write was granted (the control)", async () => {
    expect((await call("write-at", { dir: rw(), path: "out.txt", text: "written" })).isError).toBeFalsy();
    expect(await readFile(join(rw(), "out.txt"), "utf8")).toBe("written");
  });

  it("reading another component's files", async () => {
    // file-reader was granted the secret directory; the intruder was not.
    const reader = await call("read-file", { path: join(root, "secret", "secret.txt") });
    expect(JSON.stringify(reader.structuredContent)).toContain(SECRET);
    await expectDenied("read-at", { dir: join(root, "secret"), path: "secret.txt" }, "no preopen");
    await expectDenied("read-at", { dir: data(), path: `../../${served.home.dir.split("/").pop()}/components/file-reader.policy.yaml` }, "not-permitted");
  });
});

describe("environment attacks", () => {
  it("dumping the environment shows only the granted variable", async () => {
    const result = await call("environment", {});
    expect(result.structuredContent).toEqual({ result: [["GRANTED_VAR", "visible"]] });
  });
});

describe("network attacks", () => {
  it("fetching a granted host works (the control)", async () => {
    expect((await call("fetch-url", { url: `${granted.origin}/ok` })).structuredContent).toEqual({ result: "200 hello from a granted host" });
  });

  it("fetching a non-granted host", async () => {
    verifies("contract:deny:network");
    const result = await expectDenied("fetch-url", { url: `${forbidden.origin}/secret` }, /./);
    expect((result.content.at(-1) as { text: string }).text).toContain(
      `Airlock denied GET request to 127.0.0.1:${forbidden.port}: 127.0.0.1:${forbidden.port} is not a granted host. To allow it: grant-network-permission {"component_id":"intruder","details":{"host":"127.0.0.1:${forbidden.port}"}}`,
    );
  });

  it("a redirect from a granted host to a non-granted one", async () => {
    await expectDenied("fetch-url", { url: `${granted.origin}/to-forbidden` }, /./);
    await expectDenied("fetch-url", { url: `${granted.origin}/to-localhost` }, /./);
    expect(granted.hits.get("/to-forbidden")).toBe(1);
  });

  it.each([
    ["credentials that look like the granted host", () => `http://127.0.0.1:${granted.port}@127.0.0.1:${forbidden.port}/secret`],
    ["mixed case and a trailing dot", () => `http://LocalHost.:${forbidden.port}/secret`],
    ["a decimal IP literal", () => `http://2130706433:${forbidden.port}/secret`],
    ["the granted host on another port", () => `http://127.0.0.1:${forbidden.port}/secret`],
  ])("authority trick: %s", async (_trick, url) => {
    await expectDenied("fetch-url", { url: url() }, /./);
  });

  it("raw socket", async () => {
    const result = await expectDenied("connect-socket", { port: forbidden.port }, "access-denied");
    expect((result.content.at(-1) as { text: string }).text).toContain("Airlock denied opening a tcp socket: raw sockets are not available to components");
  });

  it("no request ever reached the forbidden server", () => {
    expect([...forbidden.hits.values()].reduce((a, b) => a + b, 0)).toBe(0);
  });
});

describe("stdin attacks", () => {
  it("reading standard input, which in serve is the MCP channel itself", async () => {
    const result = await call("read-stdin", {});
    expect(JSON.stringify(result)).not.toContain("jsonrpc");
    expect(result.structuredContent ?? { error: "closed" }).toEqual(result.isError ? { error: "closed" } : { result: "" });
    expect((await call("environment", {})).isError).toBeFalsy();
  });
});

describe("output attacks", () => {
  it("flooding stdout while serving over stdio leaves the MCP session intact", async () => {
    const result = await call("flood", { megabytes: 16 });
    expect(result.structuredContent).toEqual({ result: 16 });
    expect((await call("environment", {})).isError).toBeFalsy();
    expect(served.mcp.protocolErrors).toEqual([]);
    for (let i = 0; i < 50 && !logs.some((l) => l.includes("dropped]")); i++) await new Promise((r) => setTimeout(r, 20));
    expect(logs.filter((l) => l.includes("dropped]")).length).toBeGreaterThanOrEqual(1);
    expect(logs.length).toBeLessThan(1000);
  });
});

describe("audit", () => {
  it("records every decision with component, tool, call id and time", async () => {
    verifies("contract:audit");
    const { stdout } = await airlock(served.home, "audit", "intruder");
    expect(stdout).toMatch(/intruder write-at [0-9a-f]{8} DENIED file write .*notes\.txt \(the grant on .* is read only\)/);
    expect(stdout).toMatch(new RegExp(`intruder fetch-url [0-9a-f]{8} DENIED network GET 127\\.0\\.0\\.1:${forbidden.port}`));
    expect(stdout).toMatch(/intruder read-at [0-9a-f]{8} DENIED file read .*secret\.txt/);
    const log = (await readFile(join(served.home.dir, "audit.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(log[0]).toMatchObject({
      time: expect.any(String),
      component: expect.any(String),
      tool: expect.any(String),
      callId: expect.any(String),
      kind: expect.any(String),
      allowed: expect.any(Boolean),
    });
  });

  it("summarises what a call touched in the result's _meta", async () => {
    const result = await call("read-at", { dir: data(), path: "notes.txt" });
    expect(result._meta?.["airlock/audit"]).toEqual({ allowed: [`file read ${join(data(), "notes.txt")}`], denied: [] });
  });
});
