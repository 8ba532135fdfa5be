import { defineConfig } from "vitest/config";

// Tests start real registries: give their set-up room.
// Two files at a time, also on 2 cores (vitest would run one): most of a test waits on a registry.
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 30_000, maxWorkers: 2 } });
