// Every tool in tools/ through the kit, found by walking the folder: a new tool folder (one with
// a package.json) joins the suite by itself, with or without a conformance.yaml. Tools must be
// built first (npm test and turbo's build step do it); a missing dist/ fails, never skips.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describeConformance } from "../src/vitest.js";

const toolsRoot = join(import.meta.dirname, "..", "..", "..", "tools");

for (const name of readdirSync(toolsRoot).sort()) {
  if (existsSync(join(toolsRoot, name, "package.json"))) describeConformance(join(toolsRoot, name));
}
