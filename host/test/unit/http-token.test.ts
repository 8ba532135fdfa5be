// The token file's refusals print commands; with an awkward $AIRLOCK_HOME they must still run as
// printed. And the Host/--allowed-host parser, which decides what a proxy may call us.
import { execFile } from "node:child_process";
import { chmod, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import { parseHost } from "../../src/mcp/parse-host.js";
import { loadOrCreateToken } from "../../src/mcp/http-token.js";
import { shellQuote } from "../../src/shell-quote.js";

const sh = promisify(execFile);
let dir: string;
beforeEach(async () => void (dir = await mkdtemp(join(tmpdir(), "airlock token 'home' $x-"))));
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("loadOrCreateToken", () => {
  it("prints a chmod that runs as printed for a home with spaces, quotes and $", async () => {
    const file = join(dir, "http-token");
    await writeFile(file, `${"t".repeat(40)}\n`);
    await chmod(file, 0o640);
    const error = await loadOrCreateToken(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    const command = /`([^`]+)`/.exec((error as Error).message)![1]!;
    expect(command).toBe(`chmod 600 ${shellQuote(file)}`);
    await sh("sh", ["-c", command]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateToken(file)).toBe("t".repeat(40));
  });

  it("replaces a token a client could not send (inner spaces) with a fresh one", async () => {
    const file = join(dir, "http-token");
    await writeFile(file, `${"t".repeat(20)} ${"t".repeat(20)}\n`, { mode: 0o600 });
    expect(await loadOrCreateToken(file)).toMatch(/^[\w-]{43}$/);
  });
});

describe("parseHost", () => {
  it("accepts names, addresses and ports, normalised", () => {
    expect(parseHost("MCP.Example.com")).toEqual({ hostname: "mcp.example.com", port: "" });
    expect(parseHost("mcp.example.com:8443")).toEqual({ hostname: "mcp.example.com", port: "8443" });
    expect(parseHost("[::1]:80")).toEqual({ hostname: "[::1]", port: "80" });
    expect(parseHost("10.0.0.1")).toEqual({ hostname: "10.0.0.1", port: "" });
  });

  it("refuses URLs, wildcards, userinfo, paths and bad ports", () => {
    for (const bad of ["https://x.example", "*", "*.example.com", "a@x.example", "x.example/mcp", "x.example:", "x.example:65536", "", "x .example", ".x.example", "x.example."]) {
      expect(parseHost(bad), bad).toBeUndefined();
    }
  });
});
