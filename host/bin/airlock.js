#!/usr/bin/env node
// A committed entry point, so that package managers can link the bin before dist/ is built. It
// runs the CLI bundled into one file by the build (scripts/bundle-cli.mjs), which starts faster
// than dist/cli.js, the same code as ~220 modules.
import "../dist/cli.bundle.js";
