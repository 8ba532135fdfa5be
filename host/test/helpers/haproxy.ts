// A real HAProxy (Debian's haproxy package) in front of replicas on 127.0.0.1: round robin,
// health-checked on /readyz, with its statistics as CSV for the tests to read.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Debian installs haproxy in /usr/sbin, which a plain user's PATH (and CI's) may not have. */
const CANDIDATES = [process.env.AIRLOCK_HAPROXY_BIN ?? "haproxy", "/usr/sbin/haproxy", "/usr/local/sbin/haproxy"];
const runs = (binary: string) => {
  try {
    execFileSync(binary, ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};
export const HAPROXY = CANDIDATES.find(runs) ?? CANDIDATES[0]!;

/** Whether haproxy can be run here; the fleet tests are skipped (with this reason) if not. */
export function haproxyMissing(): string | undefined {
  if (runs(HAPROXY)) return undefined;
  return `haproxy is not installed (looked for ${CANDIDATES.join(", ")}): install the Debian package haproxy (apt-get install haproxy) to run the fleet test`;
}

export interface LoadBalancer {
  /** http://127.0.0.1:PORT/mcp through the balancer. */
  url: string;
  /** Per-server rows of HAProxy's statistics: status (UP, DOWN, ...) and requests sent (stot). */
  servers(): Promise<{ name: string; status: string; sessions: number }[]>;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (closed again at once). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startHaproxy(backends: { name: string; port: number }[]): Promise<LoadBalancer> {
  const dir = await mkdtemp(join(tmpdir(), "airlock-haproxy-"));
  const [port, statsPort] = [await freePort(), await freePort()];
  const config = `global
  maxconn 1024
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  # A request that could not reach a replica (it died) goes to another; one already sent does not.
  retries 3
  option redispatch 1
frontend mcp
  bind 127.0.0.1:${port}
  default_backend replicas
backend replicas
  balance roundrobin
  # A 2025-11-25 session stays on the replica that started it (2026-07-28 requests carry no session).
  stick-table type string len 64 size 100k expire 30m
  stick store-response res.hdr(Mcp-Session-Id)
  stick on req.hdr(Mcp-Session-Id)
  option httpchk GET /readyz
  http-check expect status 200
  # A replica busy with calls may take a while to answer a probe: only a few misses in a row count.
  timeout check 5s
  default-server inter 1s fall 3 rise 2
${backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check`).join("\n")}
frontend stats
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /stats
`;
  const file = join(dir, "haproxy.cfg");
  await writeFile(file, config);
  const child: ChildProcess = spawn(HAPROXY, ["-db", "-f", file], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += String(chunk)));
  const statsUrl = `http://127.0.0.1:${statsPort}/stats;csv`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited (${child.exitCode}): ${stderr}`);
    if ((await fetch(statsUrl).catch(() => undefined))?.ok) break;
    if (Date.now() > deadline) throw new Error(`haproxy did not answer within 20 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    servers: async () => {
      const [header, ...rows] = (await (await fetch(statsUrl)).text()).trim().split("\n");
      const columns = header!.replace(/^# /, "").split(",");
      const at = (row: string[], name: string) => row[columns.indexOf(name)] ?? "";
      return rows
        .map((line) => line.split(","))
        .filter((row) => at(row, "pxname") === "replicas" && !["FRONTEND", "BACKEND"].includes(at(row, "svname")))
        .map((row) => ({ name: at(row, "svname"), status: at(row, "status"), sessions: Number(at(row, "stot")) }));
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
