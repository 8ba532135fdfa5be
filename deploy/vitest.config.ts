import { defineConfig } from "vitest/config";

// The image test builds a container image (minutes on a cold cache, on a busy 2-core machine);
// the manifest tests take milliseconds.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 20 * 60_000 } });
