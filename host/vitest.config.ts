import { defineConfig } from "vitest/config";

// End-to-end tests spawn the real host and run real components: give them room.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
