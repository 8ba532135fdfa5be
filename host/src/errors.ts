// Two kinds of failure a user can meet. Both are printed as one line on stderr by the CLI;
// everything else is a bug and keeps its stack trace.

/** Something the user asked for cannot be done: exit code 1. */
export class UserError extends Error {
  override name = "UserError";
}

/** The command line itself is wrong: exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
