// The official MCP conformance suite (@modelcontextprotocol/conformance, server scenarios) against
// `airlock serve --http`, with the suite's test_* tools, resources and prompts served by a
// sandboxed component (the mcp-conformance fixture, through airlock:tool's provider, resources
// and prompts interfaces). Known failures are in
// conformance/expected-failures.yml, each with its reason.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, fixture, serveHttp, tempHome, type TempHome } from "./helpers/airlock.js";
import { expectedFailures, runSuite, type Check, type SuiteRun } from "./helpers/conformance-suite.js";
import { verifies } from "./requirements/requirements.js";

const SUITE = join(import.meta.dirname, "..", "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js");
const BASELINE = join(import.meta.dirname, "conformance", "expected-failures.yml");

/** Scenarios that must pass: the suite counts a check, and its details show the real answer. */
const MUST_PASS = [
  "server-initialize",
  "ping",
  "logging-set-level",
  "tools-list",
  "tools-call-simple-text",
  "tools-call-image",
  "tools-call-audio",
  "tools-call-embedded-resource",
  "tools-call-mixed-content",
  "tools-call-with-logging",
  "tools-call-with-progress",
  "tools-call-error",
  "tools-call-sampling",
  "tools-call-elicitation",
  "elicitation-sep1034-defaults",
  "elicitation-sep1330-enums",
  "server-sse-multiple-streams",
  "server-sse-polling",
  "json-schema-2020-12",
  "resources-list",
  "resources-read-text",
  "resources-read-binary",
  "resources-templates-read",
  "resources-subscribe",
  "resources-unsubscribe",
  "prompts-list",
  "prompts-get-simple",
  "prompts-get-with-args",
  "prompts-get-embedded-resource",
  "prompts-get-with-image",
  "completion-complete",
  "dns-rebinding-protection",
];

let home: TempHome;
let server: Awaited<ReturnType<typeof serveHttp>>;
let run: SuiteRun;
let checks: Map<string, Check[]>;

beforeAll(async () => {
  home = await tempHome();
  const loaded = await airlock(home, "load", fixture("mcp-conformance"));
  expect(loaded.code, loaded.stderr).toBe(0);
  // The suite cannot send an Authorization header: this server is only for the test. A call
  // still running after 1 s has its stream closed (test_reconnection runs for 2 s).
  server = await serveHttp(home, "--no-auth", "--close-streams-after", "1s");
  run = await runSuite(SUITE, server.url, BASELINE, ["--suite", "all"]);
  checks = run.checks;
}, 120_000);

afterAll(async () => {
  server?.stop();
  await home?.cleanup();
  await run?.cleanup();
});

describe("the official MCP conformance suite", () => {
  it("passes except for exactly the expected failures (a listed scenario that passes fails the run)", () => {
    verifies("mcp:conformance:official-suite");
    expect(run.code, run.stdout).toBe(0);
  });

  it("has a written reason for every expected failure", async () => {
    for (const [scenario, reason] of Object.entries(await expectedFailures(BASELINE))) {
      expect(typeof reason === "string" && reason.length > 20, `${scenario} needs a reason`).toBe(true);
    }
  });

  it.each(MUST_PASS)("passes %s with real checks", (scenario) => {
    verifies("mcp:schema:json-schema-2020-12");
    const results = checks.get(scenario);
    expect(results, `no results for ${scenario}`).toBeDefined();
    const counted = results!.filter((c) => c.status === "SUCCESS" || c.status === "FAILURE");
    expect(counted.length).toBeGreaterThan(0);
    expect(counted.filter((c) => c.status === "FAILURE").map((c) => c.errorMessage)).toEqual([]);
  });

  it("got the simple text and the error from the component, not a 'tool not found' error", () => {
    // These two scenarios would also accept an error result for a missing tool.
    const simple = checks.get("tools-call-simple-text")![0]!.details!.result as { content: { text: string }[]; isError?: boolean };
    expect(simple.isError).toBeFalsy();
    expect(simple.content[0]!.text).toBe("This is a simple text response for testing.");
    const error = checks.get("tools-call-error")![0]!.details!.result as { content: { text: string }[]; isError?: boolean };
    expect(error.isError).toBe(true);
    expect(error.content[0]!.text).toBe("This tool intentionally returns an error for testing");
  });
});
