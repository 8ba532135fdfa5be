// Which components get the WASI shim: read from jco's glue, as the worker's import object is built.
import { describe, expect, it } from "vitest";
import { glueImportsWasi, withVersionedKeys } from "../../src/executor/glue-imports.js";

describe("glueImportsWasi", () => {
  it("is true for glue that looks up a WASI interface, false for a pure tool's", () => {
    expect(glueImportsWasi("const { getEnvironment } = imports['wasi:cli/environment'];")).toBe(true);
    expect(glueImportsWasi('const { Descriptor } = imports["wasi:filesystem/types"];')).toBe(true);
    expect(glueImportsWasi("const { uncaught } = imports['airlock:tool/diagnostics'];")).toBe(false);
    // A string that merely mentions WASI is no lookup.
    expect(glueImportsWasi("throw new Error('wasi:cli/environment is not granted');")).toBe(false);
    expect(glueImportsWasi("")).toBe(false);
  });
});

describe("withVersionedKeys", () => {
  it("offers every interface with and without each version", () => {
    const log = { log: () => undefined };
    expect(Object.keys(withVersionedKeys({ "airlock:tool/logging": log }, ["0.1.0"]))).toEqual(["airlock:tool/logging", "airlock:tool/logging@0.1.0"]);
  });
});
