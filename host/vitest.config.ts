import { join } from "node:path";
import { defineConfig } from "vitest/config";

// End-to-end tests spawn the real host and run real components: give them room, also on a 2-core
// machine busy with other work (a limit, not a measure: no test asserts how fast it ran).
export default defineConfig({
  test: {
    testTimeout: 90_000,
    // Two files at a time, also on 2 cores (vitest would run one): most of an end-to-end file is
    // waiting on the host it spawned. Measured on 2 cores: 476 s with one, 342 s with two, 366 s with
    // three.
    maxWorkers: 2,
    // One module graph for all files: the files share nothing but imports (the SDK, the host's
    // modules), and importing them again per file cost ~14 s of the run. No file changes
    // process.env or mocks a module.
    isolate: false,
    hookTimeout: 60_000,
    globalSetup: [join(import.meta.dirname, "test", "helpers", "shared-transpile-cache.ts")],
  },
});
