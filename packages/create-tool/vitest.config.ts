import { configDefaults, defineConfig } from "vitest/config";

// The scaffold test builds three components in a copy of the workspace: minutes, not seconds.
// templates/ holds the tests of tools yet to be scaffolded: they run in the tools, not here.
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 600_000, exclude: [...configDefaults.exclude, "templates/**"] } });
