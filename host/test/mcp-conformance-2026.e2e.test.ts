// The official MCP conformance suite's scenarios for protocol revision 2026-07-28 (the frozen
// required set, `server --requirements 2026-07-28`) against `airlock serve --http`, with the
// mcp-conformance fixture loaded as in mcp-conformance.e2e.test.ts. Only the 0.2.0 alpha of the
// suite has them: it is installed as conformance-next and runs on Node 20 through
// conformance/fs-globsync-register.mjs. The host does not serve the 2026 era yet, so most of them
// fail: conformance/expected-failures-2026.yml lists each with its reason, and the run fails when
// a scenario fails that is not listed (a MUST_PASS one regressed) or a listed one starts passing.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { airlock, fixture, serveHttp, tempHome, type TempHome } from "./helpers/airlock.js";
import { expectedFailures, runSuite, type Check, type SuiteRun } from "./helpers/conformance-suite.js";
import { verifies } from "./requirements/requirements.js";

const PACKAGE = join(import.meta.dirname, "..", "node_modules", "conformance-next");
const SUITE = join(PACKAGE, "dist", "index.js");
const NODE20_SHIM = join(import.meta.dirname, "conformance", "fs-globsync-register.mjs");
const BASELINE = join(import.meta.dirname, "conformance", "expected-failures-2026.yml");
const REVISION = "2026-07-28";

/** Required scenarios that pass today, every check of each (checked in detail below). */
const MUST_PASS = [
  "completion-complete",
  "tools-list",
  "tools-call-simple-text",
  "tools-call-image",
  "tools-call-audio",
  "tools-call-embedded-resource",
  "tools-call-mixed-content",
  "tools-call-error",
  "tools-call-with-progress",
  "server-sse-multiple-streams",
  "resources-list",
  "resources-read-text",
  "resources-read-binary",
  "resources-templates-read",
  "prompts-list",
  "prompts-get-simple",
  "prompts-get-with-args",
  "prompts-get-embedded-resource",
  "prompts-get-with-image",
  "dns-rebinding-protection",
  "caching",
  "input-required-result-unsupported-methods",
  "input-required-result-validate-input",
  "input-required-result-basic-sampling",
  "input-required-result-request-state",
  "input-required-result-multi-round",
  "input-required-result-tampered-state",
  "input-required-result-capability-check",
  "input-required-result-result-type",
  "input-required-result-missing-input-response",
  "sep-2164-resource-not-found",
];

let home: TempHome;
let server: Awaited<ReturnType<typeof serveHttp>>;
let run: SuiteRun;
let checks: Map<string, Check[]>;

beforeAll(async () => {
  home = await tempHome();
  const loaded = await airlock(home, "load", fixture("mcp-conformance"));
  expect(loaded.code, loaded.stderr).toBe(0);
  // The suite cannot send an Authorization header: this server is only for the test.
  server = await serveHttp(home, "--no-auth");
  // Some of the suite's checks read a call's first frames within 500 ms: the first call of a
  // component prepares its workers (seconds on a busy machine), so one call is made first.
  const warm = new Client({ name: "warm-up", version: "0" });
  await warm.connect(new StreamableHTTPClientTransport(new URL(server.url)));
  await warm.callTool({ name: "test_logging_tool", arguments: {} });
  await warm.close();
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${pathToFileURL(NODE20_SHIM).href}`.trim() };
  run = await runSuite(SUITE, server.url, BASELINE, ["--requirements", REVISION], env);
  checks = run.checks;
}, 120_000);

afterAll(async () => {
  server?.stop();
  await home?.cleanup();
  await run?.cleanup();
});

/**
 * Checks that give the server 500 or 600 ms to send a call's first frame: on a loaded 2-core machine the
 * component's worker may not answer that fast, and the check then reports no frame at all. Such a
 * failure says nothing about the protocol; any other failure of these checks still counts.
 */
const TIMING_BOUND: Record<string, RegExp> = {
  "server-stateless:sep-2575-server-no-log-without-loglevel": /failed to yield frame structures/,
  "server-stateless:sep-2575-http-server-no-independent-requests-on-stream": /Failed to receive progressive stream chunk execution frames/,
};

function timedOut(entry: string): boolean {
  const [scenario, checkId] = entry.split(":");
  const pattern = TIMING_BOUND[entry];
  const check = checks.get(scenario!)?.find((c) => c.id === checkId);
  return pattern !== undefined && check !== undefined && pattern.test(check.errorMessage ?? "");
}

/** The `  ✓ x` / `  ✗ x` entries the suite lists under a heading of its summary. */
function linesAfter(output: string, heading: string): string[] {
  const lines = stripVTControlCharacters(output).split("\n");
  const start = lines.findIndex((line) => line.includes(heading));
  if (start === -1) return [];
  const entries: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const match = /^ {2}[✓✗] (\S+)$/.exec(line);
    if (!match) break;
    entries.push(match[1]!);
  }
  return entries;
}

/** The server scenarios the revision requires, as the suite's package freezes them. */
async function requiredScenarios(): Promise<string[]> {
  return (parse(await readFile(join(PACKAGE, "requirements", `${REVISION}.yaml`), "utf8")) as { server: string[] }).server;
}

describe(`the official MCP conformance suite, revision ${REVISION}`, () => {
  it("fails exactly the expected failures (a MUST_PASS scenario that fails, or a listed one that passes, fails the run)", () => {
    verifies("mcp:conformance:official-suite");
    // The suite's own verdict, less the checks that only measure how fast a busy machine answers.
    const stale = linesAfter(run.stdout, "Stale baseline entries");
    const unexpected = linesAfter(run.stdout, "Unexpected failures (not in baseline)").filter((entry) => !timedOut(entry));
    expect({ stale, unexpected }, run.stdout).toEqual({ stale: [], unexpected: [] });
    // A failed run for any other reason (the suite did not get to its verdict) fails too.
    if (run.code !== 0) expect(run.stdout).toContain("Unexpected failures (not in baseline)");
  });

  it("has a written reason for every expected failure", async () => {
    for (const [entry, reason] of Object.entries(await expectedFailures(BASELINE))) {
      expect(typeof reason === "string" && reason.length > 20, `${entry} needs a reason`).toBe(true);
    }
  });

  it("accounts for every required scenario: it ran, and it is either expected to fail or must pass", async () => {
    const required = await requiredScenarios();
    expect(required.length).toBeGreaterThan(30);
    const listed = [...new Set(Object.keys(await expectedFailures(BASELINE)).map((entry) => entry.split(":")[0]!))];
    expect([...listed, ...MUST_PASS].sort()).toEqual([...required].sort());
    expect(required.filter((scenario) => !checks.has(scenario))).toEqual([]);
  });

  it.each(MUST_PASS)("passes %s with real checks", (scenario) => {
    const results = checks.get(scenario);
    expect(results, `no results for ${scenario}`).toBeDefined();
    const counted = results!.filter((c) => c.status === "SUCCESS" || c.status === "FAILURE" || c.status === "WARNING");
    expect(counted.length).toBeGreaterThan(0);
    expect(counted.filter((c) => c.status !== "SUCCESS").map((c) => `${c.id}: ${c.errorMessage}`)).toEqual([]);
  });

  it("keeps refusing a foreign Host (the part of dns-rebinding-protection that passes)", () => {
    verifies("mcp:http:dns-rebinding");
    const rejected = checks.get("dns-rebinding-protection")!.find((c) => c.id === "localhost-host-rebinding-rejected")!;
    expect(rejected.status).toBe("SUCCESS");
    expect(rejected.details).toMatchObject({ hostHeader: "evil.example.com", statusCode: 403 });
  });
});
