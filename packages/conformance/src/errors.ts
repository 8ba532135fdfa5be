// Two kinds of failure the kit reports instead of checks: a wrong command line (exit 2) and a
// tool the kit cannot check at all, such as an unreadable case file or a missing build (exit 1).
// Each names what was wrong, where, and what to do.

/** The tool or its case file cannot be checked: exit code 1. */
export class ConformanceError extends Error {
  override name = "ConformanceError";
}

/** The command line is wrong: exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
