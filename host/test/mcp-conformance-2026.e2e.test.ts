// The official MCP conformance suite's scenarios for protocol revision 2026-07-28 (the frozen
// required set, `server --requirements 2026-07-28`) against `airlock serve --http`, with the
// mcp-conformance fixture loaded as in mcp-conformance.e2e.test.ts. Only the 0.2.0 alpha of the
// suite has them: it is installed as conformance-next and runs on Node 20 through
// conformance/fs-globsync-register.mjs. The host does not serve the 2026 era yet, so most of them
// fail: conformance/expected-failures-2026.yml lists each with its reason, and the run fails when
// a scenario fails that is not listed (a MUST_PASS one regressed) or a listed one starts passing.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { airlock, fixture, serveHttp, tempHome, type TempHome } from "./helpers/airlock.js";
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

interface Check {
  id: string;
  status: string;
  errorMessage?: string;
  details?: Record<string, unknown>;
}

let home: TempHome;
let server: Awaited<ReturnType<typeof serveHttp>>;
let outDir: string;
let run: { code: number; stdout: string };
let checks: Map<string, Check[]>;

beforeAll(async () => {
  home = await tempHome();
  const loaded = await airlock(home, "load", fixture("mcp-conformance"));
  expect(loaded.code, loaded.stderr).toBe(0);
  // The suite cannot send an Authorization header: this server is only for the test.
  server = await serveHttp(home, "--no-auth");
  outDir = await mkdtemp(join(tmpdir(), "airlock-conformance-2026-"));
  // The suite's own baseline format: the entries, without the reasons.
  const baseline = join(outDir, "baseline.yml");
  await writeFile(baseline, stringify({ server: Object.keys(await expectedFailures()) }));
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${pathToFileURL(NODE20_SHIM).href}`.trim() };
  run = await new Promise((resolve) => {
    execFile(process.execPath, [SUITE, "server", "--url", server.url, "--requirements", REVISION, "--expected-failures", baseline, "-o", join(outDir, "results")], { env }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: stdout + stderr }),
    );
  });
  checks = new Map();
  for (const dir of await readdir(join(outDir, "results"))) {
    const scenario = /^server-(.+)-\d{4}-\d\d-\d\dT/.exec(dir)![1]!;
    // A scenario that ran no check writes no checks.json.
    const file = await readFile(join(outDir, "results", dir, "checks.json"), "utf8").catch(() => undefined);
    if (file !== undefined) checks.set(scenario, JSON.parse(file) as Check[]);
  }
}, 120_000);

afterAll(async () => {
  server?.stop();
  await home?.cleanup();
  if (outDir && !process.env.KEEP_CONFORMANCE) await rm(outDir, { recursive: true, force: true });
});

async function expectedFailures(): Promise<Record<string, string>> {
  return (parse(await readFile(BASELINE, "utf8")) as { server: Record<string, string> }).server;
}

/** The server scenarios the revision requires, as the suite's package freezes them. */
async function requiredScenarios(): Promise<string[]> {
  return (parse(await readFile(join(PACKAGE, "requirements", `${REVISION}.yaml`), "utf8")) as { server: string[] }).server;
}

describe(`the official MCP conformance suite, revision ${REVISION}`, () => {
  it("fails exactly the expected failures (a MUST_PASS scenario that fails, or a listed one that passes, fails the run)", () => {
    verifies("mcp:conformance:official-suite");
    expect(run.code, run.stdout).toBe(0);
  });

  it("has a written reason for every expected failure", async () => {
    for (const [entry, reason] of Object.entries(await expectedFailures())) {
      expect(typeof reason === "string" && reason.length > 20, `${entry} needs a reason`).toBe(true);
    }
  });

  it("accounts for every required scenario: it ran, and it is either expected to fail or must pass", async () => {
    const required = await requiredScenarios();
    expect(required.length).toBeGreaterThan(30);
    const listed = [...new Set(Object.keys(await expectedFailures()).map((entry) => entry.split(":")[0]!))];
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
