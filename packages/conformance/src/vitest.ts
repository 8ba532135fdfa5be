// describeConformance(toolDir, options?): the kit as vitest tests, one per planned check. The
// plan is read from the case file when the test file is collected; the checks run once, in a
// beforeAll, through the real host, and the kit's report is printed to the test's output.
import { basename, resolve } from "node:path";
import { beforeAll, describe, it } from "vitest";
import { formatCheck, formatReport, type ConformanceReport } from "./check.js";
import { planConformance, runConformance } from "./run.js";
import type { ConformanceOptions } from "./target.js";

export interface DescribeConformanceOptions extends Omit<ConformanceOptions, "toolDir"> {
  /** Time for the whole run (load, cases, limits); 180 s by default. */
  timeoutMs?: number;
}

export function describeConformance(toolDir: string, options: DescribeConformanceOptions = {}): void {
  const { timeoutMs = 180_000, ...rest } = options;
  const conformanceOptions: ConformanceOptions = { ...rest, toolDir: resolve(toolDir) };
  describe(`conformance of ${basename(resolve(toolDir))}`, () => {
    let plan: string[];
    try {
      plan = planConformance(conformanceOptions);
    } catch (error) {
      it("can be checked", () => {
        throw error;
      });
      return;
    }
    let report: ConformanceReport;
    beforeAll(async () => {
      report = await runConformance(conformanceOptions);
      console.log(formatReport(report));
    }, timeoutMs);
    for (const group of plan) {
      it(group, () => {
        const checks = report.checks.filter((c) => c.group === group);
        if (checks.length === 0) {
          const failed = report.checks.filter((c) => !c.ok).map(formatCheck);
          throw new Error(`not run: an earlier check failed${failed.length ? `\n${failed.join("\n")}` : ""}`);
        }
        const failed = checks.filter((c) => !c.ok);
        if (failed.length > 0) throw new Error(failed.map(formatCheck).join("\n"));
      });
    }
  });
}
