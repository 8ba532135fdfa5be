// The world check, against the real airlock:capabilities WIT.
import { describe, expect, it } from "vitest";
import { checkImports, readCapabilityWorlds } from "../src/capability-worlds.js";

const worlds = await readCapabilityWorlds();

describe("capability worlds", () => {
  it("reads each world's imports from capabilities.wit", () => {
    expect(Object.fromEntries(worlds)).toEqual({
      pure: [],
      files: ["wasi:filesystem/types", "wasi:filesystem/preopens"],
      http: ["wasi:http/types", "wasi:http/outgoing-handler"],
      env: ["wasi:cli/environment"],
    });
  });

  it("lets every world have clocks, randomness and stdio, which need no grant", () => {
    expect(checkImports(["wasi:clocks/wall-clock@0.2.12", "wasi:random/random@0.2.12", "wasi:cli/stderr@0.2.12"], ["pure"], worlds)).toEqual({
      ok: true,
      message: "imports no capability interface",
    });
  });

  it("catches a pure tool that reads the environment or opens sockets", () => {
    expect(checkImports(["wasi:cli/environment@0.2.12"], ["pure"], worlds).message).toBe('declares world "pure" but imports wasi:cli/environment@0.2.12, which only the "env" world allows');
    expect(checkImports(["wasi:sockets/tcp@0.2.0"], ["http"], worlds).message).toBe('declares world "http" but imports wasi:sockets/tcp@0.2.0, which no capability world allows');
  });

  it("accepts an import the case file allows, and says so", () => {
    const verdict = checkImports(["wasi:filesystem/types@0.2.12"], ["http"], worlds, [{ interface: "wasi:filesystem/types", reason: "the engine" }]);
    expect(verdict).toEqual({ ok: true, message: "imports no capability interface; also wasi:filesystem/types@0.2.12 (allowed by the case file: the engine)" });
  });

  it("refuses a world airlock:capabilities does not define", () => {
    expect(checkImports([], ["network"], worlds).message).toBe('unknown capability world "network" (airlock:capabilities defines pure, files, http, env)');
  });
});
