// The grant a denial suggests: the CLI form is pasted into shells, and its path comes from the
// guest, so every argument must stay one word.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { airlockCommand } from "../../src/cli-command.js";
import { grantHint } from "../../src/policy/grant-hints.js";

// `airlock` when that is this CLI on PATH, else `node <path>/airlock.js`: both run as printed.
const AIRLOCK = airlockCommand();
const shellWords = (line: string) =>
  execFileSync("bash", ["-c", `printf '%s\\n' ${line}`], { encoding: "utf8" })
    .trimEnd()
    .split("\n");

describe("grantHint", () => {
  it("command injection through a guest-chosen path: the printed CLI keeps it one argument", () => {
    const path = "/tmp/notes $(touch /tmp/airlock-pwned); echo 'x'";
    const hint = grantHint("intruder", { kind: "file", target: `${path}/f`, mode: "read", allowed: false, grant: { kind: "storage", path, access: ["read"] } })!;
    const cli = /\(CLI: (.*)\)$/.exec(hint)![1]!;
    // The shell splits it back into exactly the words the host means.
    expect(shellWords(cli)).toEqual([...shellWords(AIRLOCK), "grant", "intruder", "storage", path, "--access", "read"]);
  });

  it("plain paths and hosts print as they are", () => {
    expect(grantHint("fetcher", { kind: "network", target: "example.com", mode: "GET", allowed: false, grant: { kind: "network", host: "example.com" } })).toContain(
      `(CLI: ${AIRLOCK} grant fetcher network example.com)`,
    );
  });
});
