// Attacks on `airlock serve --http` from around it: on the bearer-token file (another user's
// reading or planting it) and on the network side (a foreign Host, a bind beyond loopback, bad
// flags). Real `airlock serve` processes; requests go only to 127.0.0.1.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chmod, chown, lstat, readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CLI, tempHome, type TempHome } from "./helpers/airlock.js";
import { verifies } from "./requirements/requirements.js";

const sh = promisify(execFile);
const running: ChildProcess[] = [];
let home: TempHome;
let attacker: TempHome;
let tokenPath: string;

beforeAll(async () => void (attacker = await tempHome()));
afterAll(async () => await attacker?.cleanup());
beforeEach(async () => {
  home = await tempHome();
  tokenPath = join(home.dir, "http-token");
});
afterEach(async () => {
  await Promise.all(
    running.splice(0).map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : (child.once("exit", resolve), child.kill())))),
  );
  await home.cleanup();
});

interface Started {
  /** Set once it serves: the port on 127.0.0.1. */
  port?: number;
  /** Set if it exited instead. */
  code?: number | null;
  stderr: string;
}

/** `airlock serve ...args` (with `umask` if given): resolves once it serves or has exited. */
function serve(args: string[], umask?: string): Promise<Started> {
  const argv = [CLI, "serve", ...args];
  const child = umask ? spawn("sh", ["-c", `umask ${umask} && exec "$0" "$@"`, process.execPath, ...argv], { env: home.env }) : spawn(process.execPath, argv, { env: home.env });
  running.push(child);
  let stderr = "";
  return new Promise((resolve) => {
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += String(chunk);
      const match = /over Streamable HTTP at http:\/\/\S+:(\d+)\/mcp/.exec(stderr);
      if (match) resolve({ port: Number(match[1]), stderr });
    });
    child.once("exit", (code) => resolve({ code, stderr }));
  });
}

const INITIALIZE = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "x", version: "0" } } });

/** The status of an initialize POSTed to 127.0.0.1:port with these headers (fetch() would not send our Host). */
function status(port: number, headers: { token?: string; host?: string; origin?: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: "/mcp",
        method: "POST",
        headers: {
          host: headers.host ?? `127.0.0.1:${port}`,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...(headers.token ? { authorization: `Bearer ${headers.token}` } : {}),
          ...(headers.origin ? { origin: headers.origin } : {}),
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode!);
      },
    );
    req.on("error", reject);
    req.end(INITIALIZE);
  });
}

const TOKEN = "a".repeat(20) + "B".repeat(23);
const readToken = async () => (await readFile(tokenPath, "utf8")).trim();
/** The command a refusal tells the user to run, run exactly as printed. */
async function runPrinted(stderr: string): Promise<void> {
  const command = /`([^`]+)`/.exec(stderr)?.[1];
  expect(command).toBeDefined();
  await sh("sh", ["-c", command!]);
}

describe("attacks on the http-token file", () => {
  it("a token file others can read (0644) stops serve --http, and the printed chmod fixes it", async () => {
    verifies("contract:http:token");
    await writeFile(tokenPath, `${TOKEN}\n`, { mode: 0o644 });
    await chmod(tokenPath, 0o644);
    const refused = await serve(["--http", "127.0.0.1:0"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`airlock: ${tokenPath} has mode 0644: other users can read or change the bearer token. Run \`chmod 600 ${tokenPath}\`, or \`rm ${tokenPath}\``);
    // Not silently "fixed": the user decides whether the exposed token must be replaced.
    expect((await stat(tokenPath)).mode & 0o777).toBe(0o644);
    expect(await readToken()).toBe(TOKEN);

    await runPrinted(refused.stderr);
    const served = await serve(["--http", "127.0.0.1:0"]);
    expect(await status(served.port!, { token: TOKEN })).toBe(200);
  });

  it("a token file others can write (0620) stops serve --http too", async () => {
    await writeFile(tokenPath, `${TOKEN}\n`);
    await chmod(tokenPath, 0o620);
    const refused = await serve(["--http", "127.0.0.1:0"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`has mode 0620: other users can read or change the bearer token. Run \`chmod 600 ${tokenPath}\``);
  });

  it("a symlink planted at the token path is refused and the attacker's file left alone", async () => {
    const planted = join(attacker.dir, "planted-token");
    await writeFile(planted, `${TOKEN}\n`, { mode: 0o644 });
    await chmod(planted, 0o644);
    await symlink(planted, tokenPath);
    const refused = await serve(["--http", "127.0.0.1:0"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`airlock: ${tokenPath} is a symbolic link, and the token must be a file of your own: remove it with \`rm ${tokenPath}\` and start again (a new token is made)`);
    expect(await readFile(planted, "utf8")).toBe(`${TOKEN}\n`);
    expect((await stat(planted)).mode & 0o777).toBe(0o644);

    await runPrinted(refused.stderr);
    const served = await serve(["--http", "127.0.0.1:0"]);
    expect(served.port).toBeDefined();
    const made = await lstat(tokenPath);
    expect(made.isFile() && (made.mode & 0o777) === 0o600).toBe(true);
    expect(await readToken()).not.toBe(TOKEN);
    expect(await readFile(planted, "utf8")).toBe(`${TOKEN}\n`);
  });

  it("a dangling symlink at the token path does not make serve write a token where it points", async () => {
    const stolen = join(attacker.dir, "stolen-token");
    await symlink(stolen, tokenPath);
    const refused = await serve(["--http", "127.0.0.1:0"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("is a symbolic link");
    await expect(lstat(stolen)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("a FIFO at the token path is refused instead of hanging the start", async () => {
    await sh("mkfifo", ["-m", "600", tokenPath]);
    const refused = await serve(["--http", "127.0.0.1:0"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`airlock: ${tokenPath} is not a regular file: remove it with \`rm ${tokenPath}\``);
  });

  it.skipIf(process.getuid?.() !== 0)("a token file another user owns (and could rewrite) is refused", async () => {
    await writeFile(tokenPath, `${TOKEN}\n`, { mode: 0o600 });
    await chown(tokenPath, 65534, 65534);
    const refused = await serve(["--http", "127.0.0.1:0"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`airlock: ${tokenPath} belongs to another user (uid 65534, you are 0)`);
  });

  it("a fresh home gets a token file created 0600, even under umask 000", async () => {
    const served = await serve(["--http", "127.0.0.1:0"], "000");
    const made = await lstat(tokenPath);
    expect(made.isFile()).toBe(true);
    expect(made.mode & 0o777).toBe(0o600);
    const token = await readToken();
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(await status(served.port!, { token })).toBe(200);
  });

  it("an existing 0600 token is used as it is", async () => {
    await writeFile(tokenPath, `${TOKEN}\n`, { mode: 0o600 });
    const before = await stat(tokenPath);
    const served = await serve(["--http", "127.0.0.1:0"]);
    expect(await status(served.port!, { token: TOKEN })).toBe(200);
    expect(await status(served.port!, { token: TOKEN.replace("B", "C") })).toBe(401);
    expect(await readToken()).toBe(TOKEN);
    expect((await stat(tokenPath)).ino).toBe(before.ino);
    // Bound to loopback: no clear-text warning.
    expect(served.stderr).not.toContain("clear text");
  });

  it("a too-short token is replaced by a new 0600 file renamed over it, even under umask 000", async () => {
    await writeFile(tokenPath, "short\n", { mode: 0o600 });
    const before = await stat(tokenPath);
    const served = await serve(["--http", "127.0.0.1:0"], "000");
    const after = await lstat(tokenPath);
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o777).toBe(0o600);
    const token = await readToken();
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(await status(served.port!, { token })).toBe(200);
    expect((await readdir(home.dir)).filter((name) => name.includes("http-token"))).toEqual(["http-token"]);
  });
});

describe("attacks on serve --http from the network side", () => {
  it("a request with a foreign Host header (proxy.example) is refused without --allowed-host", async () => {
    verifies("mcp:http:dns-rebinding");
    const served = await serve(["--http", "127.0.0.1:0"]);
    const token = await readToken();
    expect(await status(served.port!, { token, host: "proxy.example" })).toBe(403);
    expect(await status(served.port!, { token, origin: "https://proxy.example" })).toBe(403);
    expect(await status(served.port!, { token })).toBe(200);
  });

  it("--allowed-host lets a reverse proxy's Host and Origin through, and nothing else", async () => {
    const served = await serve(["--http", "127.0.0.1:0", "--allowed-host", "proxy.example", "--allowed-host", "other.example:8443"]);
    const token = await readToken();
    const port = served.port!;
    expect(await status(port, { token, host: "proxy.example" })).toBe(200);
    expect(await status(port, { token, host: "PROXY.example:8080" })).toBe(200);
    expect(await status(port, { token, host: "proxy.example", origin: "https://proxy.example" })).toBe(200);
    expect(await status(port, { token, host: "proxy.example", origin: "https://evil.example" })).toBe(403);
    expect(await status(port, { token, host: "evil.example" })).toBe(403);
    expect(await status(port, { token, host: "proxy.example.evil.example" })).toBe(403);
    // NAME:PORT allows that port only (no port in Host or Origin means 80 or 443).
    expect(await status(port, { token, host: "other.example:8443", origin: "https://other.example:8443" })).toBe(200);
    expect(await status(port, { token, host: "other.example:9000" })).toBe(403);
    expect(await status(port, { token, host: "other.example" })).toBe(403);
    expect(await status(port, { token, origin: "https://other.example" })).toBe(403);
    // The token is still needed behind an allowed name.
    expect(await status(port, { host: "proxy.example" })).toBe(401);
  });

  it("binding 0.0.0.0 warns that the bearer token travels in clear text", async () => {
    const served = await serve(["--http", "0.0.0.0:0"]);
    expect(served.stderr).toContain(
      "airlock: WARNING: serving on 0.0.0.0, which other machines can reach, over plain HTTP: the bearer token and every call travel in clear text. " +
        "Serve on loopback behind a TLS terminator (a reverse proxy such as Caddy or nginx) instead, e.g. airlock serve --http 127.0.0.1:8080 --allowed-host mcp.example.com",
    );
    expect(await status(served.port!, { token: await readToken() })).toBe(200);
  });

  it("--allowed-host with a URL, a wildcard, a bad port or no value is a usage error naming the flag", { timeout: 90_000 }, async () => {
    const values = ["https://proxy.example", "*", "*.example.com", "proxy.example:99999", "", "proxy example"];
    const results = await Promise.all(values.map((value) => serve(["--http", "127.0.0.1:0", "--allowed-host", value])));
    for (const [i, refused] of results.entries()) {
      expect(refused.code, values[i]).toBe(2);
      expect(refused.stderr).toBe(`airlock: --allowed-host needs NAME or NAME:PORT, the host name clients use (not a URL), e.g. --allowed-host mcp.example.com; got "${values[i]}"\n`);
    }
    const missing = await serve(["--http", "127.0.0.1:0", "--allowed-host"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("airlock: --allowed-host needs NAME or NAME:PORT");
    // Nothing was created: a usage error stops before the token file is touched.
    await expect(lstat(tokenPath)).rejects.toMatchObject({ code: "ENOENT" });
  });
});
