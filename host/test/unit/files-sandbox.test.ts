// The filesystem layer of the sandbox, driven directly through the WASI import object a guest
// gets (the real preview2-shim underneath, real directories and symlinks): attacks that need
// several calls in a row.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DecisionRecorder, type Decision } from "../../src/executor/sandbox/decisions.js";
import { releaseHeld, sandboxImports } from "../../src/executor/sandbox/imports.js";

const root = mkdtempSync(join(tmpdir(), "airlock-files-"));
const rw = join(root, "rw");
const ro = join(root, "ro");
const outside = join(root, "outside");
for (const dir of [rw, ro, outside]) mkdirSync(dir);
writeFileSync(join(outside, "secret"), "SECRET");
writeFileSync(join(ro, "config"), "original");
symlinkSync("../outside", join(rw, "escape-link"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Descriptor = Record<string, (...args: unknown[]) => unknown>;
const recorded: Decision[] = [];
const recorder = new DecisionRecorder((update) => update.forEach(({ decision }) => recorded.push(decision)));
recorder.begin();
const imports = sandboxImports(
  {
    componentId: "t",
    storage: [
      { path: rw, write: true },
      { path: ro, write: false },
    ],
    network: [],
    privateNetwork: false,
    environment: {},
  },
  recorder,
);
const preopens = (imports["wasi:filesystem/preopens"]!.getDirectories as () => [Descriptor, string][])();
const rwDir = preopens[0]![0];
const roDir = preopens[1]![0];
const attempt = (f: () => unknown) => {
  try {
    f();
    return "allowed";
  } catch (error) {
    return String(error);
  }
};

describe("filesystem attacks through the WASI imports", () => {
  it("directory swapped for a symlink after it was opened", () => {
    rwDir!.createDirectoryAt!("d");
    const d = rwDir!.openAt!({ symlinkFollow: true }, "d", { directory: true }, { read: true }) as Descriptor;
    rwDir!.removeDirectoryAt!("d");
    // Swap in an existing symlink that leads out (the guest cannot create one itself).
    rwDir!.renameAt!("escape-link", rwDir, "d");
    expect(attempt(() => d.openAt!({}, "secret", {}, { read: true }))).toBe("not-permitted");
    expect(attempt(() => d.openAt!({}, "planted", { create: true }, { write: true }))).toBe("not-permitted");
    expect(attempt(() => d.readDirectory!())).toBe("not-permitted");
    expect(existsSync(join(outside, "planted"))).toBe(false);
    expect(recorded.some((x) => !x.allowed && x.reason?.includes("symlink swap"))).toBe(true);
  });

  it("a path with backslashes, which the shim reads as slashes", () => {
    rwDir!.createDirectoryAt!("other");
    rwDir!.createDirectoryAt!("victim");
    expect(attempt(() => rwDir!.openAt!({}, "other/..\\victim\\z/..", { directory: true }, { read: true }))).toBe("not-permitted");
    expect(attempt(() => rwDir!.statAt!({}, "victim\\..\\..\\outside"))).toBe("not-permitted");
  });

  it("a nested preopen swapped for a symlink", () => {
    const base = join(root, "nest");
    mkdirSync(join(base, "inner"), { recursive: true });
    symlinkSync("..", join(base, "up"));
    const nested = sandboxImports(
      {
        componentId: "n",
        storage: [
          { path: base, write: true },
          { path: join(base, "inner"), write: true },
        ],
        network: [],
        privateNetwork: false,
        environment: {},
      },
      recorder,
    );
    const dirs = (nested["wasi:filesystem/preopens"]!.getDirectories as () => [Descriptor, string][])();
    const [outer, inner] = [dirs[0]![0], dirs[1]![0]];
    outer.removeDirectoryAt!("inner");
    outer.renameAt!("up", outer, "inner");
    expect(attempt(() => inner.statAt!({}, "outside/secret"))).toBe("not-permitted");
    expect(attempt(() => inner.createDirectoryAt!("outside/made"))).toBe("not-permitted");
    expect(existsSync(join(outside, "made"))).toBe(false);
  });

  it("creating a symlink, even a relative one inside the grant", () => {
    expect(attempt(() => rwDir!.symlinkAt!("../outside", "mine"))).toBe("not-permitted");
    expect(attempt(() => rwDir!.symlinkAt!("config", "mine"))).toBe("not-permitted");
  });

  it("rename or link from a writable grant into a read-only one", () => {
    writeFileSync(join(rw, "evil"), "pwned");
    expect(attempt(() => rwDir!.renameAt!("evil", roDir, "config"))).toBe("read-only");
    expect(attempt(() => rwDir!.linkAt!({}, "evil", roDir, "new-link"))).toBe("read-only");
    expect(readFileSync(join(ro, "config"), "utf8")).toBe("original");
    expect(existsSync(join(ro, "new-link"))).toBe(false);
  });

  it("reading the host's standard input gets an empty stream, not the MCP channel", () => {
    const stdin = (imports["wasi:cli/stdin"]!.getStdin as () => { blockingRead: (n: bigint) => Uint8Array })();
    let read: Uint8Array | string;
    try {
      read = stdin.blockingRead(100n);
    } catch (error) {
      read = String((error as { tag?: string }).tag ?? error);
    }
    expect(read === "closed" || (read instanceof Uint8Array && read.length === 0), String(read)).toBe(true);
  });

  it("writes still work inside the writable grant (the control)", () => {
    const file = rwDir!.openAt!({}, "ok.txt", { create: true }, { write: true }) as Descriptor;
    file.write!(new TextEncoder().encode("fine"), 0n);
    expect(readFileSync(join(rw, "ok.txt"), "utf8")).toBe("fine");
  });
});

describe("what a guest still held when its call ended", () => {
  const openFiles = () => readdirSync("/proc/self/fd").length;
  const stdout = (imports["wasi:cli/stdout"]!.getStdout as () => Record<string, (...args: unknown[]) => unknown>)();

  it("is closed, except the preopened directories and standard streams every instance shares", () => {
    const before = openFiles();
    const files = Array.from({ length: 5 }, () => roDir!.openAt!({}, "config", {}, { read: true }) as Descriptor);
    const streams = files.map((file) => file.readViaStream!(0n));
    expect(openFiles()).toBeGreaterThan(before);
    releaseHeld([roDir, ...files, ...streams, stdout]);
    expect(openFiles()).toBe(before);
    // The preopen and stdout still work for the next call.
    const [bytes] = (roDir!.openAt!({}, "config", {}, { read: true }) as Descriptor).read!(100n, 0n) as [Uint8Array, boolean];
    expect(new TextDecoder().decode(bytes)).toBe("original");
    expect(stdout.checkWrite!()).toBeGreaterThan(0n);
  });
});
