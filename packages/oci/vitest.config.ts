import { defineConfig } from "vitest/config";

// Tests start real registries: give their set-up room.
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 30_000 } });
