// The `airlock grant ...` a denial prints runs as printed, in a shell: with `airlock` linked the
// way `npm start` links it (scripts/link-cli.mjs), and without it (the message then names the
// CLI by its path). Real host, real fetcher component, real shell.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, connect, tempHome, type TempHome } from "./helpers/airlock.js";
import { startServer, text, type TestServer } from "./helpers/http-server.js";

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");
const LINK_SCRIPT = join(ROOT, "scripts", "link-cli.mjs");
const FETCHER = join(ROOT, "tools", "fetcher", "dist", "fetcher.wasm");

let site: TestServer;
let scratch: string;
beforeAll(async () => {
  site = await startServer({ "/hello": text("hello from the granted host") });
  scratch = await mkdtemp(join(tmpdir(), "airlock-cli-"));
});
afterAll(async () => {
  await site?.close();
  await rm(scratch, { recursive: true, force: true });
});

/** The CLI line of the denial for an ungranted fetch, then a shell runs it, then the fetch works. */
async function denialLineRuns(home: TempHome): Promise<string> {
  expect((await airlock(home, "load", FETCHER)).code).toBe(0);
  const mcp = await connect(home);
  try {
    const url = `${site.origin}/hello`;
    const denied = (await mcp.client.callTool({ name: "fetch", arguments: { url } })) as CallToolResult;
    const message = denied.content.map((c) => (c as { text: string }).text).join("\n");
    const line = /\(CLI: (.+? grant fetcher network \S+)\)/.exec(message)?.[1];
    expect(line, message).toBeDefined();
    const ran = await exec("/bin/sh", ["-c", line!], { env: home.env });
    expect(ran.stdout + ran.stderr).toContain(`127.0.0.1:${site.port}`);
    const fetched = (await mcp.client.callTool({ name: "fetch", arguments: { url } })) as CallToolResult;
    expect(fetched.isError).toBeFalsy();
    expect(JSON.stringify(fetched.structuredContent)).toContain("hello from the granted host");
    return line!;
  } finally {
    await mcp.close();
  }
}

describe("the CLI as printed", () => {
  it("after the link npm start makes, a denial prints `airlock grant ...` and a shell runs it", async () => {
    const prefix = join(scratch, "npm-prefix");
    await mkdir(join(prefix, "bin"), { recursive: true });
    const home = await tempHome();
    // As `npm start` runs it: npm tells its scripts where its global bin is.
    home.env = { ...home.env, PATH: [join(prefix, "bin"), process.env.PATH].join(delimiter), npm_config_global_prefix: prefix, HOME: scratch };
    try {
      const linked = await exec(process.execPath, [LINK_SCRIPT], { env: home.env });
      expect(linked.stderr).toContain(`the airlock command is ${join(prefix, "bin", "airlock")}`);
      expect(await denialLineRuns(home)).toBe(`airlock grant fetcher network 127.0.0.1:${site.port}`);
      // Linking again changes nothing and says where the command is.
      expect((await exec(process.execPath, [LINK_SCRIPT], { env: home.env })).stderr).toContain("the airlock command is");
    } finally {
      await home.cleanup();
    }
  });

  it("without the link, the denial names the CLI by its path, and that runs too", async () => {
    const home = await tempHome();
    home.env = { ...home.env, PATH: "/usr/local/bin:/usr/bin:/bin" };
    try {
      const line = await denialLineRuns(home);
      expect(line).toMatch(/^node \S+\/host\/bin\/airlock\.js grant fetcher network 127\.0\.0\.1:\d+$/);
    } finally {
      await home.cleanup();
    }
  });

  it("never replaces an `airlock` that is not Airlock's, and says why it did not link", async () => {
    const prefix = join(scratch, "taken");
    await mkdir(join(prefix, "bin"), { recursive: true });
    const other = join(prefix, "bin", "airlock");
    await writeFile(other, "#!/bin/sh\necho another airlock\n", { mode: 0o755 });
    const env = { ...process.env, PATH: [join(prefix, "bin"), "/usr/bin:/bin"].join(delimiter), npm_config_global_prefix: prefix, HOME: scratch };
    const result = await exec(process.execPath, [LINK_SCRIPT], { env });
    expect(result.stderr).toContain(`${other} exists and is not an Airlock link`);
    expect(result.stderr).toMatch(/run it as node \S+airlock\.js/);
    expect(await readFile(other, "utf8")).toContain("another airlock");
  });
});
