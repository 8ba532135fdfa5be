// A pure tool's randomness and clock come from the build's snapshot: the build says where the
// tool's own code relies on them.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pureWorldWarnings } from "../src/pure-world-warnings.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "airlock-pure-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("pureWorldWarnings", () => {
  it("names each use of randomness or the clock with its line", async () => {
    const file = join(dir, "ids.ts");
    await writeFile(
      file,
      [
        "export const id = (): string => crypto.randomUUID();",
        "export const stamp = () => Date.now() + Math.random();",
        "export const when = () => new Date();",
        "const t = performance.now();",
        "",
      ].join("\n"),
    );
    const warnings = await pureWorldWarnings([file], dir);
    expect(warnings).toEqual([
      expect.stringMatching(/^ids\.ts:1:33: crypto\.randomUUID\(\) returns the same ids in every call: a pure tool has no randomness and no clock/),
      expect.stringMatching(/^ids\.ts:2:28: Date\.now\(\) is the time of the build in every call/),
      expect.stringMatching(/^ids\.ts:2:41: Math\.random\(\) returns the same sequence in every call/),
      expect.stringMatching(/^ids\.ts:3:27: new Date\(\) is the time of the build in every call/),
      expect.stringMatching(/^ids\.ts:4:11: performance\.now\(\) makes the component trap/),
    ]);
  });

  it("stays quiet for the tool's own bindings, dated values and node_modules", async () => {
    const file = join(dir, "own.ts");
    await writeFile(file, "const Math = { random: () => 4 };\nexport const x = Math.random();\nexport const d = new Date(0);\n");
    expect(await pureWorldWarnings([file, join(dir, "node_modules", "lib", "index.js")], dir)).toEqual([]);
  });
});
