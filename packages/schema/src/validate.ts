// Argument validation with ajv (JSON Schema 2020-12). Each problem names the JSON path, the
// rule that failed and the value received, so an agent can fix its call.
import { createRequire } from "node:module";
import type { Ajv2020 as Ajv2020Class, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import type { JsonSchema } from "./json-schema.js";

export interface ValidationProblem {
  /** JSON Pointer into the arguments, e.g. `/options/max-issues`. */
  path: string;
  /** The JSON Schema keyword that failed, e.g. `type`, `required`, `maximum`. */
  rule: string;
  message: string;
}

export type Validator = (value: unknown) => ValidationProblem[];

// ajv takes ~40 ms to load: load it when the first schema is compiled, not at start-up.
let Ajv2020: typeof Ajv2020Class | undefined;

export interface ValidatorOptions {
  /**
   * The schema was made by this code base (inputSchema() from WIT, a built-in's or a file format's
   * schema), never by a component: it is not checked against the JSON Schema meta-schema first.
   * That check is most of a compile (~70 ms of ~90 for a tool's first call on 2 cores); a schema
   * a component declares keeps it, and is refused when it is not a valid JSON Schema.
   */
  ownSchema?: boolean;
}

export function createValidator(schema: JsonSchema, options: ValidatorOptions = {}): Validator {
  Ajv2020 ??= (createRequire(import.meta.url)("ajv/dist/2020.js") as { Ajv2020: typeof Ajv2020Class }).Ajv2020;
  const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true, ...(options.ownSchema ? { validateSchema: false } : {}) });
  const validate: ValidateFunction = ajv.compile(schema);
  return (value) => (validate(value) ? [] : simplify(validate.errors ?? [], value));
}

/** One line listing every problem: `/text: must be string (type), received 42`. */
export function formatProblems(problems: ValidationProblem[]): string {
  return problems.map((p) => `${p.path || "/"}: ${p.message}`).join("; ");
}

function simplify(errors: ErrorObject[], root: unknown): ValidationProblem[] {
  // anyOf/oneOf report every branch. Where a branch matched the value's shape and failed deeper
  // down, the errors at the combinator's own path (other branches' type mismatches and the
  // summary) are noise: keep the deepest explanation.
  const combinatorPaths = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf").map((e) => e.instancePath);
  const explainedDeeper = (path: string) => combinatorPaths.includes(path) && errors.some((e) => e.instancePath.startsWith(`${path}/`));
  const isSummary = (e: ErrorObject) => (e.keyword === "anyOf" || e.keyword === "oneOf") && errors.some((o) => o !== e && o.instancePath === e.instancePath && o.keyword !== e.keyword);
  const problems: ValidationProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (explainedDeeper(error.instancePath) || isSummary(error)) continue;
    const problem = describe(error, root);
    const key = `${problem.path}|${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

function describe(error: ErrorObject, root: unknown): ValidationProblem {
  const path = error.instancePath;
  const received = `received ${preview(valueAt(root, path))}`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return { path: `${path}/${String(params.missingProperty)}`, rule: "required", message: "is required but missing (required)" };
    case "additionalProperties":
      return {
        path: `${path}/${String(params.additionalProperty)}`,
        rule: "additionalProperties",
        message: `is not a known property (additionalProperties; allowed: ${allowedKeys(error)})`,
      };
    case "enum":
      return { path, rule: "enum", message: `must be one of ${JSON.stringify(params.allowedValues)} (enum), ${received}` };
    case "const":
      return { path, rule: "const", message: `must be ${JSON.stringify(params.allowedValue)} (const), ${received}` };
    default:
      return { path, rule: error.keyword, message: `${error.message ?? "is invalid"} (${error.keyword}), ${received}` };
  }
}

function allowedKeys(error: ErrorObject): string {
  const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties ? Object.keys(properties).join(", ") : "none";
}

function valueAt(root: unknown, pointer: string): unknown {
  let current = root;
  for (const part of pointer.split("/").slice(1)) {
    const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
    current = current !== null && typeof current === "object" ? (current as Record<string, unknown>)[key] : undefined;
  }
  return current;
}

function preview(value: unknown): string {
  const text = value === undefined ? "nothing" : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
