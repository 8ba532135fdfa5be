// The container image: built from the Containerfile with podman, on a Node 20 base made from this
// machine's files (deploy/image/build-local-base.sh, no registry needed; AIRLOCK_NODE_IMAGE names
// another base, such as docker.io/library/node:20-bookworm-slim where a registry is reachable),
// then inspected (user, entrypoint, ports, labels), its files listed (the bundle, and no pnpm, npm,
// sources or compilers), and, where containers can run on this machine, run as uid 10001 on a
// read-only root.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const onPath = (command: string) => (process.env.PATH ?? "").split(":").some((dir) => dir !== "" && existsSync(join(dir, command)));
const hasPodman = onPath("podman");
const IMAGE = "localhost/airlock:deploy-test";
const REVISION = "deploy-test-revision";

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}
function run(command: string, args: string[], options: { input?: string; maxBuffer?: number } = {}): Run {
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8", maxBuffer: options.maxBuffer ?? 256 * 1024 * 1024, input: options.input });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
function check(command: string, args: string[]): string {
  const result = run(command, args);
  if (result.status !== 0) throw new Error(`\`${command} ${args.join(" ")}\` failed (${result.status}):\n${result.stderr.slice(-4000)}`);
  return result.stdout;
}

/**
 * How this machine runs containers: podman's defaults where they work; else the runc runtime and
 * the machine's own file and process limits (a VM without CAP_SYS_RESOURCE cannot raise them, and
 * crun refuses cgroups in hybrid mode). Undefined when no way works: the reason is in `why`.
 */
interface Engine {
  global: string[];
  run: string[];
}
function findEngine(base: string): { engine?: Engine; why: string } {
  const limits = run("sh", ["-c", "ulimit -Sn; ulimit -Hn"]).stdout.trim().split("\n");
  const candidates: Engine[] = [{ global: [], run: [] }];
  if (onPath("runc")) candidates.push({ global: ["--runtime", "runc"], run: ["--ulimit", `nofile=${limits[0]}:${limits[1]}`, "--ulimit", "nproc=4096:4096"] });
  let why = "";
  for (const candidate of candidates) {
    const probe = run("podman", [...candidate.global, "run", "--rm", "--network", "none", ...candidate.run, base, "node", "-e", "process.exit(0)"]);
    if (probe.status === 0) return { engine: candidate, why: "" };
    why += `podman ${[...candidate.global, "run", ...candidate.run].join(" ")}: ${probe.stderr.trim().split("\n").pop()}\n`;
  }
  return { why };
}

if (!hasPodman) console.warn("deploy image test skipped: podman is not installed (apt-get install podman); the Containerfile is not built");

describe.skipIf(!hasPodman)(hasPodman ? "container image" : "container image (skipped: podman is not installed; apt-get install podman)", () => {
  let engine: Engine | undefined;
  let cannotRun = "";
  let files: Map<string, { type: string; owner: string }>;
  let config: {
    User: string;
    Entrypoint: string[];
    Cmd: string[];
    ExposedPorts: Record<string, object>;
    Labels: Record<string, string>;
    Env: string[];
    WorkingDir: string;
  };
  const base = process.env.AIRLOCK_NODE_IMAGE || "localhost/airlock-node-base:20";

  beforeAll(() => {
    const started = performance.now();
    if (!process.env.AIRLOCK_NODE_IMAGE) check(join(root, "deploy", "image", "build-local-base.sh"), [base]);
    const baseDone = performance.now();
    const found = findEngine(base);
    engine = found.engine;
    cannotRun = found.why;
    // Where no container can run, RUN steps still can in buildah's chroot isolation. The build
    // shares the machine's network: no CNI bridge (which needs iptables, absent from a minimal PATH).
    const buildOptions = [...(engine ? [...engine.global, "build", ...engine.run] : ["build", "--isolation", "chroot"]), "--network", "host"];
    check("podman", [...buildOptions, "-f", "Containerfile", "--build-arg", `NODE_IMAGE=${base}`, "--build-arg", `REVISION=${REVISION}`, "-t", IMAGE, "."]);
    const built = performance.now();
    const [inspected] = JSON.parse(check("podman", ["image", "inspect", IMAGE])) as Array<{ Config: typeof config }>;
    if (!inspected) throw new Error(`podman image inspect ${IMAGE} returned no image`);
    config = inspected.Config;

    // The image's files, from a container that is created, never started.
    const container = check("podman", ["create", IMAGE]).trim();
    try {
      const listing = run("sh", ["-c", `podman export ${container} | tar -tv --numeric-owner`]);
      if (listing.status !== 0) throw new Error(`listing the image's files failed: ${listing.stderr}`);
      files = new Map();
      for (const line of listing.stdout.split("\n")) {
        // drwxr-xr-x 0/0 0 2026-01-01 00:00 app/dist/ (-> target for links)
        const match = /^(\S)\S*\s+(\d+\/\d+)\s+\d+\s+\S+\s+\S+\s+(.+?)(?: -> .*| link to .*)?$/.exec(line);
        if (match) files.set(match[3]!.replace(/^\.\//, "").replace(/\/$/, ""), { type: match[1]!, owner: match[2]! });
      }
    } finally {
      run("podman", ["rm", "-f", container]);
    }
    const seconds = (from: number, to: number) => ((to - from) / 1000).toFixed(1);
    console.log(
      `image test: base ${seconds(started, baseDone)} s, build ${seconds(baseDone, built)} s, inspect and list ${seconds(built, performance.now())} s; containers ${engine ? `run (podman ${[...engine.global, "run", ...engine.run].join(" ")})` : `cannot run here, so the image was built with --isolation chroot and is not run:\n${cannotRun}`}`,
    );
  });

  test("runs as uid 10001, with the entrypoint, command, ports and labels of an airlock replica", () => {
    expect(config.User).toBe("10001:10001");
    expect(config.Entrypoint).toEqual(["node", "/app/dist/cli.bundle.js"]);
    expect(config.Cmd).toEqual(["serve", "--http", "0.0.0.0:8080", "--config", "/etc/airlock/airlock.yaml"]);
    expect(Object.keys(config.ExposedPorts).sort()).toEqual(["8080/tcp", "9464/tcp"]);
    expect(config.Labels).toMatchObject({
      "org.opencontainers.image.title": "airlock",
      "org.opencontainers.image.licenses": "Apache-2.0",
      "org.opencontainers.image.version": "0.1.0",
      "org.opencontainers.image.revision": REVISION,
      "org.opencontainers.image.base.name": base,
    });
    expect(config.Env).toEqual(expect.arrayContaining(["NODE_ENV=production", "AIRLOCK_HOME=/var/lib/airlock", "HOME=/home/airlock", "MALLOC_ARENA_MAX=2", "MALLOC_MMAP_THRESHOLD_=131072"]));
  });

  test("holds the host's bundle, owned by root, with its runtime dependencies", () => {
    for (const path of [
      "usr/local/bin/node",
      "app/dist/cli.bundle.js",
      // Files the bundle finds beside it at run time: the worker threads' scripts.
      "app/dist/executor/worker-main.js",
      "app/dist/loader/jco-process-main.js",
      "app/package.json",
      "app/schema",
      "app/node_modules/@airlock/oci",
      "app/node_modules/@airlock/schema",
      "app/node_modules/@airlock/wit-parser",
      "app/node_modules/yaml",
    ]) {
      expect(files.has(path), `${path} is in the image`).toBe(true);
    }
    const paths = [...files.keys()];
    for (const pkg of ["@airlock+oci", "@airlock+schema", "@airlock+wit-parser"])
      expect(
        paths.some((p) => p.includes(`.pnpm/${pkg}@`) && p.endsWith("/dist/index.js")),
        `${pkg} built`,
      ).toBe(true);
    const writable = paths.filter((p) => p.startsWith("app/") && files.get(p)!.owner !== "0/0");
    expect(writable, "files of /app owned by another user than root").toEqual([]);
    expect(files.get("var/lib/airlock")).toEqual({ type: "d", owner: "10001/10001" });
  });

  test("holds no pnpm, npm, TypeScript sources, compilers or test tools", () => {
    const paths = [...files.keys()];
    const found = (what: string, test: (p: string) => boolean) => [what, paths.filter(test).slice(0, 5)];
    expect([
      found("pnpm", (p) => /(^|\/)(pnpm|\.pnpm-store)(\/|$)/.test(p) || /\/pnpm@/.test(p) || p.endsWith("/.bin/pnpm")),
      found("npm", (p) => p.startsWith("usr/local/lib/node_modules") || /^usr\/local\/bin\/(npm|npx|corepack|yarn)$/.test(p)),
      found(
        "TypeScript sources",
        (p) => /\.(ts|mts|cts)$/.test(p) && !/\.d\.(ts|mts|cts)$/.test(p) && (!p.includes("node_modules/") || p.includes("node_modules/@airlock/") || p.includes(".pnpm/@airlock+")),
      ),
      found("source trees", (p) => /^app\/(src|test|bench|scripts)(\/|$)/.test(p) || /@airlock\+[^/]+\/node_modules\/@airlock\/[^/]+\/(src|test)(\/|$)/.test(p)),
      found(
        "compilers",
        (p) =>
          /^(usr\/)?(local\/)?bin\/(gcc|g\+\+|cc|c\+\+|clang|make|python3?|tsc|esbuild)$/.test(p) ||
          /node_modules\/(typescript|esbuild|@esbuild|vitest|componentize-qjs|@bytecodealliance\/componentize-js)\/package\.json$/.test(p),
      ),
      found("dev dependencies", (p) => /\.pnpm\/(@modelcontextprotocol\+(inspector|conformance|sdk)|@types\+|eslint)/.test(p)),
    ]).toEqual([
      ["pnpm", []],
      ["npm", []],
      ["TypeScript sources", []],
      ["source trees", []],
      ["compilers", []],
      ["dev dependencies", []],
    ]);
  });

  test("`airlock --help` runs as uid 10001 on a read-only root, with state on a volume", (context) => {
    if (!engine) {
      context.skip(`containers cannot run on this machine; the image was built with --isolation chroot and only inspected:\n${cannotRun}`);
      return;
    }
    const podman = (args: string[]) => run("podman", [...engine!.global, "run", "--rm", "--read-only", "--network", "none", ...engine!.run, ...args]);
    const help = podman([IMAGE, "--help"]);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^usage: airlock <command>/);

    const probe = podman([
      "--mount",
      "type=tmpfs,destination=/var/lib/airlock,U=true",
      "--entrypoint",
      "node",
      IMAGE,
      "-e",
      `const fs = require("node:fs");
       const refused = (path) => { try { fs.writeFileSync(path, "x"); return "written"; } catch (e) { return e.code; } };
       console.log(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), app: refused("/app/x"), etc: refused("/etc/x"), tmp: refused("/tmp/x"), home: refused(process.env.AIRLOCK_HOME + "/x") }));`,
    ]);
    expect(probe.status, probe.stderr).toBe(0);
    expect(JSON.parse(probe.stdout)).toEqual({ uid: 10001, gid: 10001, app: "EROFS", etc: "EROFS", tmp: "written", home: "written" });

    // A real command over the store: an empty one, on the state volume.
    const list = podman(["--mount", "type=tmpfs,destination=/var/lib/airlock,U=true", IMAGE, "list"]);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout + list.stderr).toMatch(/no components in \/var\/lib\/airlock\/components/);
  });

  test("serves MCP over Streamable HTTP from a read-only root: 401 without the token, initialize with it", async (context) => {
    if (!engine) {
      context.skip(`containers cannot run on this machine:\n${cannotRun}`);
      return;
    }
    // Today's `serve --http` (the image's command names a deployment file the fleet mode reads).
    const start = run("podman", [
      ...engine.global,
      "run",
      "-d",
      "--read-only",
      "--network",
      "none",
      ...engine.run,
      "--mount",
      "type=tmpfs,destination=/var/lib/airlock,U=true",
      IMAGE,
      "serve",
      "--http",
      "0.0.0.0:8080",
    ]);
    expect(start.status, start.stderr).toBe(0);
    const container = start.stdout.trim();
    try {
      // From inside the container (no network namespace is shared with this machine).
      const client = `const fs = require("node:fs");
        const post = (headers, body) => fetch("http://127.0.0.1:8080/mcp", { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers }, body: JSON.stringify(body) });
        const initialize = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "deploy-test", version: "1" } } };
        (async () => {
          for (let i = 0; ; i++) { try { await fetch("http://127.0.0.1:8080/mcp"); break; } catch (e) { if (i > 100) throw e; await new Promise((r) => setTimeout(r, 300)); } }
          const token = fs.readFileSync(process.env.AIRLOCK_HOME + "/http-token", "utf8").trim();
          const anonymous = await post({}, initialize);
          const authorized = await post({ authorization: "Bearer " + token }, initialize);
          const text = await authorized.text();
          const data = text.split("\\n").filter((l) => l.startsWith("data: {")).map((l) => JSON.parse(l.slice(6)));
          console.log(JSON.stringify({ anonymous: anonymous.status, authorized: authorized.status, server: data[0]?.result?.serverInfo?.name }));
        })();`;
      const result = run("podman", ["exec", container, "node", "-e", client]);
      expect(result.status, `${result.stderr}\n${run("podman", ["logs", container]).stderr}`).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ anonymous: 401, authorized: 200, server: "airlock" });
    } finally {
      run("podman", ["rm", "-f", container]);
    }
  });
});
