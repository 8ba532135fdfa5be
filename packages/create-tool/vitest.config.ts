import { defineConfig } from "vitest/config";

// The scaffold test builds three components in a copy of the workspace: minutes, not seconds.
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 600_000 } });
