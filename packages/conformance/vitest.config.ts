import { join } from "node:path";
import { defineConfig } from "vitest/config";

// The kit's tests run real components through the real host: give them room. Their stores share
// one transpile cache for the run (the host's global setup).
const sharedTranspileCache = join(import.meta.dirname, "..", "..", "host", "test", "helpers", "shared-transpile-cache.ts");
// Two files at a time, also on 2 cores (vitest would run one): 71 s -> 53 s measured on 2 cores.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 180_000, maxWorkers: 2, globalSetup: [sharedTranspileCache] } });
