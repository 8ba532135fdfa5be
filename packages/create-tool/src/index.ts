export { camelCase, HOST_TOOL_NAMES, invalidDescriptionReason, invalidFunctionReason, invalidNameReason, pascalCase, placeholderDescription, TEMPLATE_NAMES, WORLDS, type WorldKind } from "./names.js";
export { fill, ScaffoldError, scaffoldTool, TEMPLATES, type ScaffoldOptions, type Scaffolded } from "./scaffold.js";
export { findWorkspaceRoot } from "./workspace.js";
