export { buildTool, type BuildResult } from "./build.js";
export { BuildError } from "./errors.js";
export { readToolConfig, type ToolConfig } from "./config.js";
export { disabledFeatures } from "./componentize.js";
export { CAPABILITIES, readToolWorld, sharedWitDir, type Capability } from "./wit-tree.js";
