// The public surface of @airlock/conformance.
export { runConformance, planConformance, type RunOptions } from "./run.js";
export type { ConformanceOptions } from "./target.js";
export { formatCheck, formatReport, summary, type Check, type ConformanceReport } from "./check.js";
export { descriptionCheck } from "./checks/description.js";
export { readCaseFile, validateCaseFile, type Case, type CaseFile, type Expectation, type Grants, type GrantKind } from "./case-file.js";
export { checkImports, readCapabilityWorlds, type CapabilityWorlds } from "./capability-worlds.js";
export { ConformanceError, UsageError } from "./errors.js";
