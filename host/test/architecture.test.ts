// The host's folders and who may use whom, read from the code's own imports by dependency-cruiser.
// The layering, top down: cli.ts -> commands/ -> deployment/, mcp/ -> component-host.ts ->
// store/, tools/, policy/, loader/ -> executor/ -> errors, home. A rule broken here is a design
// change: change the rule (and this comment) on purpose, or move the code.
import { join } from "node:path";
import { cruise, type IForbiddenRuleType } from "dependency-cruiser";
import { describe, expect, it } from "vitest";

const HOST = join(import.meta.dirname, "..");

const forbidden: IForbiddenRuleType[] = [
  {
    name: "commands-only-from-the-cli",
    comment: "A command is an entry point: nothing but cli.ts runs one.",
    from: { path: "^src/", pathNot: "^src/(cli\\.ts|commands/)" },
    to: { path: "^src/commands/" },
  },
  {
    name: "policy-decides-without-the-runtime",
    comment: "Grants are decided by pure functions over policy files: no executor, transport or deployment (the executor's types, such as a Decision, are shared words).",
    from: { path: "^src/policy/" },
    to: { path: "^src/(executor|mcp|commands|deployment|component-host)", dependencyTypesNot: ["type-only"] },
  },
  {
    name: "executor-knows-no-transport-or-policy-file",
    comment: "The sandbox enforces what it is handed (SandboxConfig); it reads no policy file and speaks no MCP.",
    from: { path: "^src/executor/" },
    to: { path: "^src/(mcp|commands|deployment|policy|store|audit)/|^src/component-host" },
  },
  {
    name: "sandbox-decisions-stay-pure",
    comment: "Which paths and hosts a call may reach is decided apart from the code that patches the runtime.",
    from: { path: "^src/executor/sandbox/(decisions|network-policy|address-policy|outside-grants)\\.ts$" },
    to: { path: "^src/executor/(worker|component-worker|prepared-component|worker-pool)" },
  },
  {
    name: "reset-analysis-stays-pure",
    comment: "What a module lets a reset restore is read from its bytes alone, apart from the code that snapshots and writes back a live instance.",
    from: { path: "^src/executor/reset/(state-exports|table-writes|canon-builtins|glue-handles)\\.ts$" },
    to: { path: "^src/executor/(worker|component-worker|prepared-component|worker-pool|reset/instance-reset|reset/table-copier)" },
  },
  {
    name: "transports-reach-components-through-the-host",
    comment: "MCP handlers call ComponentHost, never a worker or a prepared component directly.",
    from: { path: "^src/mcp/" },
    to: { path: "^src/executor/(worker-pool|prepared-component|worker-main)" },
  },
  {
    name: "mcp-only-through-its-event-path",
    comment: "Outside the transports and commands (and the package's exports, index.ts), only the host's event path (host-events.ts) of mcp/ is used.",
    from: { path: "^src/", pathNot: "^src/(mcp|commands|console)/|^src/(cli|index)\\.ts" },
    to: { path: "^src/mcp/", pathNot: "^src/mcp/host-events\\.ts$" },
  },
  {
    name: "no-deep-imports-into-packages",
    comment: "Workspace packages are used through their exports, never their sources.",
    from: {},
    to: { path: "packages/[^/]+/src/" },
  },
];

describe("the host's folders", () => {
  it("import only what their layer may use", async () => {
    const result = await cruise(["src"], { baseDir: HOST, validate: true, ruleSet: { forbidden }, tsPreCompilationDeps: true, exclude: { path: "node_modules" } });
    const output = result.output as { summary: { violations: { rule: { name: string }; from: string; to: string }[]; totalCruised: number } };
    expect(output.summary.totalCruised).toBeGreaterThan(80);
    expect(output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
  });

  it("see the imports they judge (the rules can fail)", async () => {
    // cli.ts imports errors.ts: a rule forbidding that must report it.
    const rule: IForbiddenRuleType = { name: "cli-without-errors", from: { path: "^src/cli\\.ts$" }, to: { path: "^src/errors\\.ts$" } };
    const result = await cruise(["src"], { baseDir: HOST, validate: true, ruleSet: { forbidden: [rule] }, tsPreCompilationDeps: true });
    const output = result.output as { summary: { violations: { rule: { name: string } }[] } };
    expect(output.summary.violations.map((v) => v.rule.name)).toEqual(["cli-without-errors"]);
  });
});
