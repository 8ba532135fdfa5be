export { ComponentHost, DEFAULT_TIMEOUT_MS, type HostOptions, type ToolOutcome } from "./component-host.js";
export { airlockHome, type AirlockHome } from "./home.js";
export { createMcpServer, SERVER_INFO } from "./mcp/server.js";
export { ComponentStore, type StoredComponent } from "./store/component-store.js";
export { defineTools, RESERVED_NAMES, toolName, ToolCatalog, type ToolDefinition } from "./tools/tool-definitions.js";
export { UsageError, UserError } from "./errors.js";
export { parseDeployment, readDeploymentFile, type Deployment, type DeployedComponent } from "./deployment/deployment-file.js";
