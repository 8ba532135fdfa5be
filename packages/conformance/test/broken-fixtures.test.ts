// The kit finds real defects: each deliberately broken fixture makes the CLI exit 1 with a line
// that says exactly why, and every other check still passes.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const exec = promisify(execFile);
const BIN = join(import.meta.dirname, "..", "bin", "airlock-conformance.js");
const fixture = (name: string) => join(import.meta.dirname, "fixtures", name);

async function conformance(...args: string[]): Promise<{ code: number; lines: string[]; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args]);
    return { code: 0, lines: stdout.trimEnd().split("\n"), stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, lines: e.stdout.trimEnd().split("\n"), stderr: e.stderr };
  }
}

function expectOnlyFailure(lines: string[], failure: string): void {
  expect(lines.filter((l) => l.startsWith("✗"))).toEqual([failure]);
  expect(lines.slice(0, -1).every((l) => l.startsWith("✓ ") || l.startsWith("✗ "))).toBe(true);
  expect(lines.at(-1)).toMatch(/^\d+ passed, 1 failed$/);
}

describe("broken fixtures", () => {
  it("pure-but-network: a component that imports the network while its case file declares pure", async () => {
    const { code, lines } = await conformance(fixture("pure-but-network"));
    expect(code).toBe(1);
    expectOnlyFailure(
      lines,
      '✗ world "pure": declares world "pure" but imports wasi:http/types@0.2.12, which only the "http" world allows; ' +
        'wasi:http/outgoing-handler@0.2.12, which only the "http" world allows; wasi:filesystem/types@0.2.12, which only the "files" world allows; ' +
        'wasi:filesystem/preopens@0.2.12, which only the "files" world allows',
    );
  });

  it("failing-case: a case whose expected result is wrong, with the path where it differs", async () => {
    const { code, lines } = await conformance(fixture("failing-case"));
    expect(code).toBe(1);
    expectOnlyFailure(lines, '✗ case "expects a wrong product": expected result {"sum":5,"product":7}, received result {"sum":5,"product":6}: at /product: expected 7, received 6');
    expect(lines).toContain('✓ case "combines two and three": result as expected');
  });

  it("crasher: an uncaught exception is a failed case carrying the tool's own message and line, and the host keeps serving", async () => {
    const { code, lines } = await conformance(fixture("crasher"));
    expect(code).toBe(1);
    expectOnlyFailure(
      lines,
      '✗ case "divides by zero": expected an error containing "division by zero", received a crash (trap): crasher threw in divide: division by zero in divide() (at src/component.ts:3:22)',
    );
    expect(lines).toContainEqual(expect.stringMatching(/^✓ timeout: divide under serve --timeout 1ms: isError .*case "divides seven by two" still work$/));
  });

  it("given the worlds the component really uses, it passes the world check and asks for denial cases", async () => {
    const { code, lines } = await conformance(join(fixture("pure-but-network"), "dist", "pure-but-network.wasm"), "--world", "http,files");
    expect(code).toBe(1);
    expect(lines).toContain(
      '✓ worlds "http" + "files": imports only what it allows (wasi:http/types@0.2.12, wasi:http/outgoing-handler@0.2.12, wasi:filesystem/types@0.2.12, wasi:filesystem/preopens@0.2.12)',
    );
    expectOnlyFailure(
      lines,
      `✗ no grants: the tool's world needs network and storage grants, but no case in ${join(fixture("pure-but-network"), "conformance.yaml")} grants network or storage, ` +
        "so nothing shows that without it the tool fails as a permission error: add a case with grants.network",
    );
  });
});
