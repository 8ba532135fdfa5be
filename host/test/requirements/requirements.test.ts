// Every requirement the host claims has at least one test that says it proves it, and every
// `verifies(...)` names a known requirement (TypeScript checks that too).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REQUIREMENTS } from "./requirements.js";

const TEST_ROOT = join(import.meta.dirname, "..");

async function verifiedIds(): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const files = (await readdir(TEST_ROOT, { recursive: true })).filter((f) => f.endsWith(".test.ts"));
  for (const file of files) {
    const source = await readFile(join(TEST_ROOT, file), "utf8");
    for (const call of source.matchAll(/verifies\(([^)]*)\)/g)) {
      for (const [, id] of call[1]!.matchAll(/"([^"]+)"/g)) found.set(id!, [...(found.get(id!) ?? []), file]);
    }
  }
  return found;
}

describe("requirements", () => {
  it("every requirement has a test", async () => {
    const verified = await verifiedIds();
    const untested = Object.keys(REQUIREMENTS).filter((id) => !verified.has(id));
    expect(untested, "requirements without a verifies(...) in any test").toEqual([]);
  });

  it("every verifies(...) names a known requirement", async () => {
    const unknown = [...(await verifiedIds()).keys()].filter((id) => !(id in REQUIREMENTS));
    expect(unknown).toEqual([]);
  });

  it("every requirement links its specification", () => {
    for (const [id, r] of Object.entries(REQUIREMENTS)) expect(r.spec, id).toMatch(/^(https:\/\/|docs\/(contract|deployment)\.md#)/);
  });

  it("every link into the project's docs names one of their sections", async () => {
    for (const doc of ["contract.md", "deployment.md"]) {
      const text = await readFile(join(TEST_ROOT, "..", "..", "docs", doc), "utf8");
      // GitHub's heading anchors: lowercase, punctuation dropped, spaces as dashes.
      const anchors = new Set(
        [...text.matchAll(/^#+ (.+)$/gm)].map((m) =>
          m[1]!
            .toLowerCase()
            .replace(/[^\p{L}\p{N} -]/gu, "")
            .replace(/ /g, "-"),
        ),
      );
      for (const [id, r] of Object.entries(REQUIREMENTS)) {
        if (r.spec.startsWith(`docs/${doc}#`)) expect(anchors, id).toContain(r.spec.slice(`docs/${doc}#`.length));
      }
    }
  });
});
