// One check's outcome, the lines the kit prints, and the summary.

export interface Check {
  /** What was checked: `loads`, `case "reports a repeated word"`, `timeout`. */
  name: string;
  ok: boolean;
  /** Why it failed, or what was seen when it passed. */
  message: string;
  /**
   * The planned check this belongs to, for test runners that need names before running:
   * `description`, `loads`, `schemas`, `world`, `case "<name>"`, `no grants: case "<name>"`, `no grants`,
   * `invalid arguments`, `oversized input`, `timeout`.
   */
  group: string;
}

export interface ConformanceReport {
  /** What was checked: the tool folder or the component. */
  target: string;
  checks: Check[];
}

export const check = (group: string, name: string, ok: boolean, message: string): Check => ({ group, name, ok, message });

export function formatCheck(c: Check): string {
  return `${c.ok ? "✓" : "✗"} ${c.name}${c.message ? `: ${c.message}` : ""}`;
}

export function summary(checks: Check[]): string {
  const passed = checks.filter((c) => c.ok).length;
  return `${passed} passed, ${checks.length - passed} failed`;
}

export function formatReport(report: ConformanceReport): string {
  return [...report.checks.map(formatCheck), summary(report.checks)].join("\n");
}
