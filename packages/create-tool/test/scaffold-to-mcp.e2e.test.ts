// From nothing to a published, conformant tool, in a copy of the workspace:
// 1. every shell command of CONTRIBUTING.md's walk-through, in order (a `pure` tool "word-count"):
//    scaffold, build, test, conformance, load and call, serve (a real MCP client calls the tool),
//    watch mode (an edit reaches the running server as tools/list_changed), release, publish;
// 2. a `files` and an `http` tool, scaffolded, built, checked by the conformance kit and called
//    through MCP with their grants.
// It prints the time from create-tool to the first successful MCP call, and its parts.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server as HttpServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { componentVersion } from "@airlock/tool-build";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, copyWorkspace, REPO, sh, shellSteps, type WorkspaceCopy } from "./helpers/workspace.js";

const SECTION = "Writing a tool: from scaffold to publish";
const steps = shellSteps(readFileSync(join(REPO, "CONTRIBUTING.md"), "utf8"), SECTION);
const MINUTES = 60_000;

// What this walk needs from the packages other work delivers; a missing one skips its step only.
const conformanceMissing = existsSync(join(REPO, "packages", "conformance", "dist", "cli.js"))
  ? undefined
  : "packages/conformance has no built airlock-conformance CLI (packages/conformance/dist/cli.js)";
const publishMissing = /publish <file\.wasm>/.test(JSON.stringify(spawnSync(process.execPath, [join(REPO, "host", "dist", "cli.js"), "--help"], { encoding: "utf8" }).output))
  ? spawnSync("which", ["docker-registry"]).status === 0
    ? undefined
    : "no docker-registry binary to publish to (apt-get install docker-registry)"
  : "the airlock CLI has no publish command (host/src/commands/publish.ts)";

let ws: WorkspaceCopy;
let home: string;
let env: NodeJS.ProcessEnv;
let mcp: Client | undefined;
let listChanged: (() => void)[] = [];
let registry: { host: string; stop(): Promise<void> } | undefined;
const timings: [string, number][] = [];
let scaffoldStarted = 0;
let firstCallAt = 0;

function nextListChanged(timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no tools/list_changed within ${timeoutMs / 1000} s`)), timeoutMs);
    listChanged.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function run(command: string): Promise<string> {
  const started = performance.now();
  const result = await sh(command, ws.root, env, 10 * MINUTES);
  timings.push([command, performance.now() - started]);
  expect(result.code, `\`${command}\` failed:\n${result.output}`).toBe(0);
  return result.output;
}

async function connectServe(command: string): Promise<Client> {
  const transport = new StdioClientTransport({ command: "bash", args: ["-c", `exec ${command}`], cwd: ws.root, env: env as Record<string, string>, stderr: "ignore" });
  const client = new Client({ name: "create-tool-e2e", version: "0.0.0" });
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    const waiting = listChanged;
    listChanged = [];
    for (const resolve of waiting) resolve();
  });
  await client.connect(transport);
  return client;
}

async function callResult(name: string, args: Record<string, unknown>): Promise<unknown> {
  const result = await mcp!.callTool({ name, arguments: args });
  expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  return (result.structuredContent as { result: unknown }).result;
}

/** Starts `pnpm ... dev`, edits the logic, and waits for the running server to reload it. */
async function runWatchMode(command: string): Promise<void> {
  const child: ChildProcess = spawn("bash", ["-c", command], { cwd: ws.root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const source = join(ws.root, "tools", "word-count", "src", "word-count.ts");
  const original = await readFile(source, "utf8");
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  try {
    await waitFor(
      () => /loaded word-count/.test(output) || exited(),
      5 * MINUTES,
      () => `watch mode never loaded the tool:\n${output}`,
    );
    if (exited()) throw new Error(`watch mode exited (${child.exitCode ?? child.signalCode}) before it loaded the tool:\n${output}`);
    const reloaded = nextListChanged(5 * MINUTES);
    const started = performance.now();
    await writeFile(source, original.replace("{ words: ", "{ words: 100 + "));
    await reloaded;
    timings.push(["watch mode: edit -> tools/list_changed", performance.now() - started]);
    expect(await callResult("word-count", { text: "Hello, Ada!" })).toEqual({ words: 102, characters: 11 });
  } finally {
    // A watch mode that already exited is not an error of its own: the check above said why.
    if (!exited()) {
      const gone = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid!, "SIGINT");
      await gone;
    }
    await writeFile(source, original);
  }
}

/** The first ```json block after `marker` in a Markdown text, parsed. */
function jsonBlockAfter(markdown: string, marker: string): unknown {
  const from = markdown.indexOf(marker);
  const start = markdown.indexOf("```json\n", from) + "```json\n".length;
  return JSON.parse(markdown.slice(start, markdown.indexOf("\n```", start)));
}

async function waitFor(condition: () => boolean, timeoutMs: number, message: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(message());
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function runDocCommand(command: string): Promise<void> {
  if (/\bserve$/.test(command)) {
    const started = performance.now();
    mcp = await connectServe(command);
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name)).toContain("word-count");
    expect(tools.find((t) => t.name === "word-count")?.description).toContain("Counts the words and characters of a text.");
    const answer = await mcp.callTool({ name: "word-count", arguments: { text: "Hello, Ada!" } });
    expect(answer.structuredContent).toEqual({ result: { words: 2, characters: 11 } });
    // The scaffolded README shows this very answer.
    const { _meta: _audit, ...shown } = answer;
    expect(jsonBlockAfter(await readFile(join(ws.root, "tools", "word-count", "README.md"), "utf8"), "Over MCP")).toEqual(shown);
    timings.push([`${command}, then tools/list and tools/call word-count`, performance.now() - started]);
    if (!firstCallAt) firstCallAt = performance.now();
    return;
  }
  if (/ dev$/.test(command)) return runWatchMode(command);
  if (command.startsWith("pnpm create-tool")) scaffoldStarted = performance.now();
  const output = await run(registry ? command.replaceAll("localhost:5000", registry.host) : command);
  if (command.startsWith("pnpm create-tool")) expect(output).toMatch(/created tools\/word-count \(pure world, \d+ files\) in \d+ ms\nits function: word-count /);
  if (command.endsWith(' call word-count word-count --args \'{"text": "Hello, Ada!"}\'')) {
    expect(JSON.parse(output.slice(output.indexOf("{")))).toEqual({ words: 2, characters: 11 });
  }
}

beforeAll(async () => {
  ws = await copyWorkspace();
  home = await mkdtemp(join(tmpdir(), "airlock-home-"));
  env = cleanEnv({ AIRLOCK_HOME: home });
  if (!publishMissing) {
    const { startRegistry } = await import("@airlock/oci/testing");
    registry = await startRegistry("none");
  }
}, 5 * MINUTES);

afterAll(async () => {
  await mcp?.close();
  await registry?.stop();
  await ws?.cleanup();
  if (home) await rm(home, { recursive: true, force: true });
  const lines = timings.map(([what, ms]) => `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${what}`);
  if (firstCallAt) lines.push(`  ${((firstCallAt - scaffoldStarted) / 1000).toFixed(1).padStart(6)} s  from create-tool to the first successful MCP call`);
  process.stderr.write(`\ncreate-tool end to end, measured:\n${lines.join("\n")}\n`);
});

describe(`CONTRIBUTING.md, "${SECTION}", command by command`, () => {
  it("has the steps from scaffold to publish", () => {
    const all = steps.flatMap((s) => s.commands).join("\n");
    for (const expected of ["pnpm create-tool", " build", " test", "conformance", " serve", " dev", "version-packages", " publish "]) expect(all).toContain(expected);
  });

  for (const { step, commands } of steps) {
    const missing = /conformance/i.test(step) ? conformanceMissing : /publish/i.test(step) ? publishMissing : undefined;
    const title = missing ? `${step} (skipped: ${missing})` : step;
    it.skipIf(missing !== undefined)(
      title,
      async () => {
        for (const command of commands) await runDocCommand(command);
        if (/release/i.test(step)) {
          const manifest = JSON.parse(await readFile(join(ws.root, "tools", "word-count", "package.json"), "utf8")) as { version: string };
          expect(manifest.version).toBe("0.1.0");
          expect(await readFile(join(ws.root, "tools", "word-count", "CHANGELOG.md"), "utf8")).toContain("First release of the word-count tool.");
          expect(componentVersion(await readFile(join(ws.root, "tools", "word-count", "dist", "word-count.wasm")))).toBe("0.1.0");
          expect(JSON.parse(await run("node host/dist/cli.js inspect tools/word-count/dist/word-count.wasm"))).toMatchObject({ version: "0.1.0" });
        }
      },
      15 * MINUTES,
    );
  }
});

// Three more tools, scaffolded at once and linked by one pnpm install (each create-tool would run its own:
// ~10 s each): a files tool, an http tool, and one without --description whose logic has two bugs.
let bugLine = 0;
describe("three more tools, scaffolded side by side", () => {
  beforeAll(async () => {
    await run('node packages/create-tool/bin/create-tool.js counter --world files --description "Counts the lines, words and characters of files" --no-install');
    await run('node packages/create-tool/bin/create-tool.js titles --world http --function fetch-title --description "Reads the titles of web pages" --no-install');
    await run("node packages/create-tool/bin/create-tool.js boomer --world pure --no-install");
    // boomer's bugs throw only for the texts "boom" and "json": its scaffolded cases still pass.
    const file = join(ws.root, "tools", "boomer", "src", "boomer.ts");
    const source = await readFile(file, "utf8");
    const bugs = '  if (text === "boom") throw new Error("boom at " + text);\n  if (text === "json") JSON.parse("{");\n';
    await writeFile(file, source.replace("  const trimmed = text.trim();\n", `${bugs}  const trimmed = text.trim();\n`));
    bugLine = source.split("\n").indexOf("  const trimmed = text.trim();") + 1;
    await run('pnpm --loglevel=warn install --prefer-offline --no-frozen-lockfile --filter "@airlock/tool-counter..." --filter "@airlock/tool-titles..." --filter "@airlock/tool-boomer..."');
  }, 5 * MINUTES);

  describe("a files and an http tool, scaffolded, built, checked and called through MCP", () => {
    let site: HttpServer;
    let siteHost = "";

    beforeAll(async () => {
      site = createServer((_request, response) => response.writeHead(200, { "content-type": "text/html" }).end("<html><head><title>Served here</title></head></html>"));
      await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
      siteHost = `127.0.0.1:${(site.address() as { port: number }).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => site.close(() => resolve())));

    it(
      "scaffolds both, builds them and passes their unit tests and their component tests (in the engine, through the host)",
      async () => {
        // boomer (below) is built in the same command: three builds side by side take less than one after another.
        await run("pnpm --filter @airlock/tool-counter --filter @airlock/tool-titles --filter @airlock/tool-boomer build");
        await run("pnpm --filter @airlock/tool-counter --filter @airlock/tool-titles test");
      },
      15 * MINUTES,
    );

    it.skipIf(conformanceMissing !== undefined)(
      `passes the conformance kit${conformanceMissing ? ` (skipped: ${conformanceMissing})` : ""}`,
      async () => {
        expect(await run("pnpm conformance tools/counter")).toMatch(/\d+ passed, 0 failed/);
        expect(await run("pnpm conformance tools/titles")).toMatch(/\d+ passed, 0 failed/);
      },
      10 * MINUTES,
    );

    it(
      "is picked up by the running server and answers through MCP with its grants",
      async () => {
        mcp ??= await connectServe("node host/dist/cli.js serve");
        const loaded = nextListChanged(MINUTES);
        await run("node host/dist/cli.js load tools/counter/dist/counter.wasm && node host/dist/cli.js load tools/titles/dist/titles.wasm");
        await loaded;
        const docs = join(ws.root, "tools", "counter", "conformance", "docs");
        const grant = async (name: string, details: Record<string, unknown>) => {
          const result = await mcp!.callTool({ name, arguments: { component_id: name.includes("storage") ? "counter" : "titles", details } });
          expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
        };
        for (let i = 0; i < 50 && !(await mcp.listTools()).tools.some((t) => t.name === "fetch-title"); i++) await new Promise((r) => setTimeout(r, 200));
        await grant("grant-storage-permission", { uri: `fs://${docs}`, access: ["read"] });
        await grant("grant-network-permission", { host: siteHost });
        expect(await callResult("counter", { path: join(docs, "sample.txt") })).toEqual({ lines: 2, words: 12, characters: 63 });
        expect(await callResult("fetch-title", { url: `http://${siteHost}/` })).toMatchObject({ status: 200, title: "Served here" });
        // The scaffolded README's example fetches the tool's own conformance page: same title and length.
        const page = await readFile(join(ws.root, "tools", "titles", "conformance", "www", "index.html"), "utf8");
        const readme = await readFile(join(ws.root, "tools", "titles", "README.md"), "utf8");
        expect(jsonBlockAfter(readme, "## Example")).toEqual({ url: "http://localhost:8080/index.html", status: 200, title: "Hello from titles", length: page.length });
        expect(jsonBlockAfter(readme, "## Example")).toEqual(
          jsonBlockAfter(readme, "Over MCP") && (jsonBlockAfter(readme, "Over MCP") as { structuredContent: { result: unknown } }).structuredContent.result,
        );
      },
      5 * MINUTES,
    );
  });

  describe("a tool scaffolded without --description, and its own bugs", () => {
    it(
      "fails the conformance kit's description check only, naming every file that still says TODO",
      async () => {
        if (conformanceMissing) return;
        const kit = await sh("pnpm conformance tools/boomer", ws.root, env, 5 * MINUTES);
        expect(kit.code, kit.output).toBe(1);
        const failures = kit.output.split("\n").filter((l) => l.startsWith("✗"));
        expect(failures).toEqual([expect.stringMatching(/^✗ description: a placeholder, "TODO: say in one sentence what boomer does", is still in package\.json "description", README\.md:3, /)]);
        expect(failures[0]).toMatch(/wit\/world\.wit:\d+ \(a doc comment: the MCP description of what follows it\), policy\.yaml:3 \(description\): write there one sentence/);
        expect(kit.output).toMatch(/\d+ passed, 1 failed/);
      },
      10 * MINUTES,
    );

    it(
      "an Error and a JSON.parse failure show their message and src/ line over the CLI and MCP, never only 'unreachable'",
      async () => {
        await run("node host/dist/cli.js load tools/boomer/dist/boomer.wasm");
        const cli = await sh(`node host/dist/cli.js call boomer boomer --args '{"text":"boom"}'`, ws.root, env, MINUTES);
        expect(cli.code).toBe(1);
        expect(cli.output).toContain(`airlock: boomer threw in boomer: boom at boom (at src/boomer.ts:${bugLine}:`);
        const json = await sh(`node host/dist/cli.js call boomer boomer --args '{"text":"json"}'`, ws.root, env, MINUTES);
        expect(json.output).toMatch(new RegExp(`airlock: boomer threw in boomer: JSON\\.parse: .* \\(at src/boomer\\.ts:${bugLine + 1}:\\d+\\)`));
        mcp ??= await connectServe("node host/dist/cli.js serve");
        for (let i = 0; i < 50 && !(await mcp.listTools()).tools.some((t) => t.name === "boomer"); i++) await new Promise((r) => setTimeout(r, 200));
        const result = await mcp.callTool({ name: "boomer", arguments: { text: "boom" } });
        const text = (result.content as { text: string }[]).map((c) => c.text).join("\n");
        expect(result.isError).toBe(true);
        expect(text).toContain(`boomer threw in boomer: boom at boom (at src/boomer.ts:${bugLine}:`);
        expect(text).not.toContain("unreachable");
      },
      10 * MINUTES,
    );
  });
});
