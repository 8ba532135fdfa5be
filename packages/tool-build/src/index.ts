export { buildTool, generateTypes, type BuildOptions, type BuildResult } from "./build.js";
export { BuildError } from "./errors.js";
export { readToolConfig, type ToolConfig } from "./config.js";
export { disabledFeatures } from "./componentize.js";
export { camelCase, expectedExports } from "./exports-check.js";
export { parseTscOutput, type TscError } from "./typecheck.js";
export { componentVersion, VERSION_SECTION } from "./version-section.js";
export { watchTool, type WatchOptions } from "./watch.js";
export { CAPABILITIES, readToolWorld, sharedWitDir, type Capability } from "./wit-tree.js";
