// Every tool's README shows its WIT as it is, an example call with its result, and its grants.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers/workspace.js";

const tools = readdirSync(join(REPO, "tools"), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

describe.each(tools)("tools/%s/README.md", (tool) => {
  const readme = readFileSync(join(REPO, "tools", tool, "README.md"), "utf8");

  it("shows wit/world.wit exactly", () => {
    const wit = readFileSync(join(REPO, "tools", tool, "wit", "world.wit"), "utf8");
    expect(readme).toContain("```wit\n" + wit.trimEnd() + "\n```");
  });

  it("has an example call with its result, as airlock call and over MCP", () => {
    expect(readme).toMatch(new RegExp(`airlock call ${tool} [a-z-]+ --args '\\{`));
    expect(readme).toContain("structuredContent");
  });

  it("names the grants the tool needs, with the command that gives them", () => {
    expect(readme).toMatch(/## Grants/);
    expect(readme).toMatch(new RegExp(`airlock grant ${tool} (storage|network|env) |needs no grant|None: the tool targets the \`pure\` world`));
  });
});
