// The grant a denial suggests: the CLI form is pasted into shells, and its path comes from the
// guest, so every argument must stay one word.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { grantHint } from "../../src/policy/grant-hints.js";

describe("grantHint", () => {
  it("command injection through a guest-chosen path: the printed CLI keeps it one argument", () => {
    const path = "/tmp/notes $(touch /tmp/airlock-pwned); echo 'x'";
    const hint = grantHint("intruder", { kind: "file", target: `${path}/f`, mode: "read", allowed: false, grant: { kind: "storage", path, access: ["read"] } })!;
    const cli = /\(CLI: (.*)\)$/.exec(hint)![1]!;
    // The shell splits it back into exactly the words the host means.
    const words = execFileSync("bash", ["-c", `printf '%s\\n' ${cli}`], { encoding: "utf8" }).trimEnd().split("\n");
    expect(words).toEqual(["airlock", "grant", "intruder", "storage", path, "--access", "read"]);
  });

  it("plain paths and hosts print as they are", () => {
    expect(grantHint("fetcher", { kind: "network", target: "example.com", mode: "GET", allowed: false, grant: { kind: "network", host: "example.com" } })).toContain(
      "(CLI: airlock grant fetcher network example.com)",
    );
  });
});
