import { defineConfig } from "vitest/config";

// The kit's tests run real components through the real host: give them room.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 180_000 } });
