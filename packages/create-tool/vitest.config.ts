import { join } from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

// The scaffold test builds three components in a copy of the workspace: minutes, not seconds.
// templates/ holds the tests of tools yet to be scaffolded: they run in the tools, not here.
// The stores the walkthrough makes share one transpile cache for the run (the host's global setup).
const sharedTranspileCache = join(import.meta.dirname, "..", "..", "host", "test", "helpers", "shared-transpile-cache.ts");
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 600_000, exclude: [...configDefaults.exclude, "templates/**"], globalSetup: [sharedTranspileCache] } });
