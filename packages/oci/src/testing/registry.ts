// A real CNCF distribution registry (Debian's docker-registry) on 127.0.0.1 and a free port,
// with its own config in a temp dir: anonymous, Basic auth (htpasswd) or the Bearer token flow
// (a token server issuing RS256 JWTs, see token-server.ts). Stop it in afterAll.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTokenServer, type TokenServer } from "./token-server.js";

export const USER = "alice";
export const PASSWORD = "s3cret-pass";
/** With the Bearer flow: an account whose tokens only allow pulls. */
export const READER = { user: "reader", password: "read-only-pass" };

export interface Registry {
  /** host:port */
  host: string;
  /** The registry's storage directory, for tamper tests. */
  storage: string;
  tokenServer?: TokenServer;
  stop(): Promise<void>;
}

const BINARY = process.env.AIRLOCK_REGISTRY_BIN ?? "docker-registry";

export async function startRegistry(auth: "none" | "basic" | "bearer" = "none"): Promise<Registry> {
  const dir = await mkdtemp(join(tmpdir(), "airlock-registry-"));
  const storage = join(dir, "storage");
  let authConfig = "";
  let tokenServer: TokenServer | undefined;
  if (auth === "basic") {
    const line = execFileSync("htpasswd", ["-Bbn", USER, PASSWORD], { encoding: "utf8" });
    await writeFile(join(dir, "htpasswd"), line);
    authConfig = `auth:\n  htpasswd:\n    realm: basic-realm\n    path: ${join(dir, "htpasswd")}\n`;
  } else if (auth === "bearer") {
    tokenServer = await startTokenServer(dir, [
      { user: USER, password: PASSWORD },
      { ...READER, actions: ["pull"] },
    ]);
    authConfig = `auth:\n  token:\n    realm: ${tokenServer.url}/token\n    service: airlock-test\n    issuer: airlock-test-issuer\n    rootcertbundle: ${tokenServer.certFile}\n`;
  }
  const config = `version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${storage}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:0\n${authConfig}`;
  await writeFile(join(dir, "config.yml"), config);
  const child = spawn(BINARY, ["serve", join(dir, "config.yml")], { stdio: ["ignore", "pipe", "pipe"] });
  const host = await listeningAddress(child);
  await waitReady(host);
  return {
    host,
    storage,
    ...(tokenServer ? { tokenServer } : {}),
    async stop() {
      await stopChild(child);
      await tokenServer?.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function listeningAddress(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => reject(new Error(`docker-registry did not start:\n${log}`)), 15_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /listening on (127\.0\.0\.1:\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("error", (error) => reject(new Error(`cannot start ${BINARY} (apt-get install docker-registry): ${error.message}`)));
    child.on("exit", (code) => reject(new Error(`docker-registry exited with ${code}:\n${log}`)));
  });
}

async function waitReady(host: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`http://${host}/v2/`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`docker-registry on ${host} does not answer`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
