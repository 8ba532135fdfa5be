export { camelCase, invalidNameReason, WORLDS, type WorldKind } from "./names.js";
export { fill, ScaffoldError, scaffoldTool, TEMPLATES, type ScaffoldOptions, type Scaffolded } from "./scaffold.js";
export { findWorkspaceRoot } from "./workspace.js";
