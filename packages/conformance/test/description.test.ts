// The description check on tool folders written here: a placeholder left by the scaffold is named
// in every file and line that still has it; a described tool passes.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { descriptionCheck } from "../src/index.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "conformance-description-"));
  await mkdir(join(dir, "wit"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function tool(description: string | undefined, doc: string): Promise<void> {
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "@airlock/tool-x", ...(description !== undefined && { description }) }));
  await writeFile(join(dir, "README.md"), `# x\n\n${doc}\n\n\`\`\`wit\n  /// ${doc}\n\`\`\`\n`);
  await writeFile(join(dir, "wit", "world.wit"), `world x {\n  /// ${doc}\n  export x: func();\n}\n`);
  await writeFile(join(dir, "policy.yaml"), `version: "1.0"\ndescription: ${JSON.stringify(description ?? "")}\npermissions: {}\n`);
}

describe("the description check", () => {
  it("fails a placeholder, naming each file and line that still has it and what to write", async () => {
    await tool("TODO: say in one sentence what x does", "TODO: say in one sentence what x does.");
    const result = descriptionCheck(dir);
    expect(result.ok).toBe(false);
    expect(result.message).toBe(
      'a placeholder, "TODO: say in one sentence what x does", is still in package.json "description", README.md:3, README.md:6, ' +
        "wit/world.wit:2 (a doc comment: the MCP description of what follows it), policy.yaml:2 (description): " +
        'write there one sentence saying what the tool does (e.g. "Counts the words of a text"), as users and MCP clients will read it',
    );
  });

  it("fails a placeholder the author left in one place only", async () => {
    await tool("Counts words", "Counts words.");
    await writeFile(join(dir, "wit", "world.wit"), "world x {\n  /// Counts words.\n  export x: func(\n    /// TODO\n    text: string,\n  );\n}\n");
    expect(descriptionCheck(dir)).toMatchObject({ ok: false, message: expect.stringMatching(/^a placeholder, "TODO", is still in wit\/world\.wit:4 /) });
  });

  it("fails a package.json without a description", async () => {
    await tool(undefined, "Counts words.");
    expect(descriptionCheck(dir)).toMatchObject({ ok: false, message: expect.stringMatching(/^package\.json has no "description": write there one sentence/) });
  });

  it("passes a described tool", async () => {
    await tool("Counts words", "Counts words.");
    expect(descriptionCheck(dir)).toEqual({ group: "description", name: "description", ok: true, message: 'package.json says "Counts words"; no placeholder left in README.md, wit/ or policy.yaml' });
  });
});
