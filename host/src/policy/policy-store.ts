// Policy files: components/<id>.policy.yaml beside the component. Read and validated against
// schema/policy.schema.json (errors name the file, the key and what was expected); written to a
// temporary file and renamed, so a crash never leaves a half-written policy.
import { readFileSync, statSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { createValidator, type Validator } from "@airlock/schema";
import { createRequire } from "node:module";
import { UserError } from "../errors.js";
import { writeAtomically } from "../atomic-files.js";
import { ComponentStore } from "../store/component-store.js";
import { EMPTY_POLICY, pathOfUri, type Policy } from "./policy.js";

const SCHEMA_FILE = new URL("../../schema/policy.schema.json", import.meta.url);
// yaml takes ~35 ms to load: only when a policy is read or written.
const yaml = () => createRequire(import.meta.url)("yaml") as typeof import("yaml");
let validator: Validator | undefined;

function validate(value: unknown): ReturnType<Validator> {
  validator ??= createValidator(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")), { ownSchema: true });
  return validator(value);
}

/** A policy as YAML text, for people. */
export function policyToYaml(policy: Policy): string {
  return yaml().stringify(policy);
}

/** Parses and validates policy text; `source` names the file in errors. */
export function parsePolicy(text: string, source: string): Policy {
  let value: unknown;
  try {
    value = yaml().parse(text);
  } catch (error) {
    throw new UserError(`${source}: not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  const problems = validate(value ?? {});
  if (problems.length > 0) {
    const first = problems[0]!;
    const key = first.path.replace(/^\//, "").replace(/\//g, ".") || "(top level)";
    throw new UserError(
      `${source}: invalid policy at ${key}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})` : ""}. See the policy format in the README.`,
    );
  }
  // The schema sees the URI as written; a `..` can still hide in its escapes (`%2E%2E`). Read
  // each one as the sandbox will, so a policy it would refuse is refused here, naming the key.
  const policy = value as Policy;
  for (const [i, grant] of (policy.permissions?.storage?.allow ?? []).entries()) {
    try {
      pathOfUri(grant.uri);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      throw new UserError(`${source}: invalid policy at permissions.storage.allow.${i}.uri: ${error.message}. See the policy format in the README.`);
    }
  }
  return policy;
}

export class PolicyStore {
  /** `guardChange` runs before every grant or revoke and throws to refuse it (a managed store). */
  constructor(
    private readonly dir: string,
    readonly guardChange: () => Promise<void> = () => Promise.resolve(),
  ) {}

  file(id: string): string {
    // The id becomes a file name: never a path out of the store.
    if (!ComponentStore.isValidId(id)) throw new UserError(`invalid component id "${id}"`);
    return join(this.dir, `${id}.policy.yaml`);
  }

  /** Policy changes of one component, one after another: concurrent grants must not lose each other. */
  private readonly queues = new Map<string, Promise<unknown>>();

  serialize<T>(id: string, change: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(id) ?? Promise.resolve()).then(change, change);
    this.queues.set(
      id,
      run.catch(() => undefined),
    );
    return run;
  }

  /** The component's policy; no file means no grants. */
  async read(id: string): Promise<Policy> {
    let text: string;
    try {
      text = await readFile(this.file(id), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return EMPTY_POLICY;
      throw error;
    }
    return parsePolicy(text, this.file(id));
  }

  /** A token that changes whenever the policy file does, to notice edits by other processes. */
  async version(id: string): Promise<string> {
    // Asked before every call (another process may have granted or revoked since): a synchronous
    // stat of one local file takes microseconds, where the promise version went through the
    // thread pool and cost ~8 % of the host's main thread at 500 calls/s. A component with no
    // policy file is the common case: no ENOENT error is made for it (its stack trace cost
    // ~0.1 ms of the host's thread per call).
    try {
      const info = statSync(this.file(id), { throwIfNoEntry: false });
      return info ? `${info.mtimeMs}:${info.size}:${info.ino}` : "none";
    } catch {
      return "none";
    }
  }

  async write(id: string, policy: Policy): Promise<void> {
    const text = yaml().stringify(policy);
    parsePolicy(text, this.file(id));
    await writeAtomically(this.file(id), `# Policy of component ${id}, written by airlock.\n${text}`);
  }

  async remove(id: string): Promise<void> {
    await rm(this.file(id), { force: true });
  }
}
