// Replicas for the fleet tests: `airlock serve --http --config airlock.yaml` as a real process,
// components published to a real local registry (signed), and the probes a load balancer uses.
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import { airlock, CLI, type TempHome } from "./airlock.js";

export const TOOLS = join(import.meta.dirname, "..", "..", "..", "tools");
export const sampleTool = (name: string) => join(TOOLS, name, "dist", `${name}.wasm`);

export interface Replica {
  /** http://127.0.0.1:PORT */
  origin: string;
  url: string;
  /** Its Prometheus /metrics URL, when the deployment file has server.metrics. */
  metricsUrl: string | undefined;
  process: ChildProcess;
  stderr(): string;
  /** Resolves once stderr has a line matching `pattern` (the whole stderr so far is searched). */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts a replica on `listen` (default a free port on 127.0.0.1); resolves once it listens. */
export async function startReplica(home: TempHome, config: string, options: { listen?: string; env?: NodeJS.ProcessEnv; args?: string[] } = {}): Promise<Replica> {
  const child = spawn(process.execPath, [CLI, "serve", "--http", options.listen ?? "127.0.0.1:0", "--config", config, ...(options.args ?? [])], {
    env: { ...home.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  const listeners = new Set<() => void>();
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += String(chunk);
    for (const listener of [...listeners]) listener();
  });
  child.stdout!.resume();
  const waitForLog = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(stderr)) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stderr:\n${stderr}`));
      }, timeoutMs);
      const exited = (code: number | null) => {
        cleanup();
        reject(new Error(`the replica exited (${code}) before logging ${pattern}; stderr:\n${stderr}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(check);
        child.off("exit", exited);
      };
      listeners.add(check);
      child.once("exit", exited);
      check();
    });
  await waitForLog(/at http:\/\/[^\s]+\/mcp/);
  const url = /at (http:\/\/[^\s]+\/mcp)/.exec(stderr)![1]!;
  return {
    origin: new URL(url).origin,
    url,
    metricsUrl: /metrics for Prometheus at (http:\/\/\S+)/.exec(stderr)?.[1],
    process: child,
    stderr: () => stderr,
    waitForLog,
    stop: (signal = "SIGTERM") =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      }),
  };
}

/** Polls /readyz until it answers 200 (a probe: no token, a Host header of another name). */
export async function waitReady(origin: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    const response = await fetch(`${origin}/readyz`).catch((error: Error) => ({ status: 0, text: () => Promise.resolve(error.message) }));
    if (response.status === 200) return;
    last = `${response.status} ${await response.text()}`;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${origin}/readyz not ready within ${timeoutMs} ms: ${last}`);
}

/** A bearer token file as an operator writes one (a mounted Secret). */
export async function writeTokenFile(path: string): Promise<string> {
  const token = randomBytes(32).toString("hex");
  await writeFile(path, `${token}\n`, { mode: 0o600 });
  return token;
}

/** An ECDSA P-256 key pair as <name>.pem and <name>.pub in `dir`. */
export async function writeKeyPair(dir: string, name: string): Promise<{ key: string; pub: string }> {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const files = { key: join(dir, `${name}.pem`), pub: join(dir, `${name}.pub`) };
  await writeFile(files.key, privateKey.export({ type: "pkcs8", format: "pem" }));
  await writeFile(files.pub, publicKey.export({ type: "spki", format: "pem" }));
  return files;
}

/** `airlock publish` to the registry; resolves with the pinned oci:// reference. */
export async function publishPinned(publisher: TempHome, file: string, target: string, ...extra: string[]): Promise<string> {
  const result = await airlock(publisher, "publish", file, target, ...extra);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  const digest = /@(sha256:[0-9a-f]{64})/.exec(result.stdout)![1]!;
  return `${target.replace(/:[^:/]+$/, "")}@${digest}`;
}

/** The sum of airlock_tool_calls_total samples of a replica's /metrics whose labels match `labels`. */
export async function countedCalls(metricsUrl: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let sum = 0;
  for (const [, labelText, value] of text.matchAll(/^airlock_tool_calls_total\{([^}]*)\} (\S+)$/gm)) {
    const sample = Object.fromEntries([...labelText!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    if (Object.entries(labels).every(([key, want]) => sample[key] === want)) sum += Number(value);
  }
  return sum;
}
