import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportedFunctions, parseWit, WitSyntaxError } from "../src/index.js";

const witRoot = join(import.meta.dirname, "..", "..", "..", "wit");

describe("parseWit", () => {
  it("parses every WIT file the project ships, including the vendored WASI packages", () => {
    const files = [join(witRoot, "capabilities", "capabilities.wit"), join(witRoot, "tool", "tool.wit"), ...readdirSync(join(witRoot, "deps")).map((dir) => join(witRoot, "deps", dir, "package.wit"))];
    for (const file of files) {
      const [pkg] = parseWit(readFileSync(file, "utf8"), file);
      expect(pkg?.name, file).toMatch(/^[a-z-]+:[a-z-]+@\d+\.\d+\.\d+$/);
    }
    const [http] = parseWit(readFileSync(join(witRoot, "deps", "wasi-http", "package.wit"), "utf8"));
    expect(http?.interfaces.map((i) => i.name)).toEqual(expect.arrayContaining(["types", "outgoing-handler"]));
  });

  it("keeps doc comments on functions, parameters, types and fields", () => {
    const [pkg] = parseWit(`
      package demo:docs@0.1.0;
      /** The world. */
      world w {
        /// A record.
        record opts {
          /// How many.
          max: u32,
        }
        /// Greets.
        export greet: func(
          /// Who to greet.
          name: string,
        ) -> string;
      }`);
    const world = pkg!.worlds[0]!;
    expect(world.docs).toBe("The world.");
    const item = world.items[0]!;
    expect(item.kind === "function" && item.func.docs).toBe("Greets.");
    expect(item.kind === "function" && item.func.params[0]?.docs).toBe("Who to greet.");
    const opts = world.types[0]!;
    expect(opts.docs).toBe("A record.");
    expect(opts.body.kind === "record" && opts.body.fields[0]?.docs).toBe("How many.");
  });

  it("reports a syntax error with file, line, column and what was expected", () => {
    const source = "package a:b@0.1.0;\nworld w {\n  export f: func(x: u32 -> u32;\n}\n";
    expect(() => parseWit(source, "world.wit")).toThrow(WitSyntaxError);
    expect(() => parseWit(source, "world.wit")).toThrow("world.wit:3:25: expected `)`, found `->`");
  });
});

describe("exportedFunctions", () => {
  it("resolves world-level exports and exported interfaces in nested packages, as wasm-tools prints them", () => {
    const printed = `package root:component;

world root {
  import wasi:cli/environment@0.2.3;

  record opts {
    max-issues: option<u32>,
    mode: mode,
  }
  enum mode { fast, slow }
  type alias = list<opts>;

  export greet: func(name: string, o: option<opts>) -> result<list<string>, string>;
  export many: func(x: alias) -> tuple<u8, s64>;
  export demo:calc/ops@1.2.3;
}
package demo:calc@1.2.3 {
  interface types {
    flags perms { read, write }
    variant shape { circle(f64), none }
  }
  interface ops {
    use types.{perms, shape as figure};
    area: func(s: figure, p: perms) -> f64;
  }
}
package wasi:cli@0.2.3 {
  interface environment {
    get-environment: func() -> list<tuple<string, string>>;
  }
}
`;
    const fns = exportedFunctions(parseWit(printed));
    expect(fns.map((f) => [f.interfaceName, f.name])).toEqual([
      [undefined, "greet"],
      [undefined, "many"],
      ["demo:calc/ops@1.2.3", "area"],
    ]);
    const greet = fns[0]!;
    expect(greet.params[1]!.type).toEqual({
      kind: "option",
      inner: {
        kind: "record",
        name: "opts",
        fields: [
          { name: "max-issues", type: { kind: "option", inner: { kind: "primitive", name: "u32" } } },
          { name: "mode", type: { kind: "enum", name: "mode", cases: [{ name: "fast" }, { name: "slow" }] } },
        ],
      },
    });
    expect(fns[1]!.params[0]!.type.kind).toBe("list");
    expect(fns[2]!.params.map((p) => p.type.kind)).toEqual(["variant", "flags"]);
  });

  it("marks resources, streams and futures as unsupported instead of guessing", () => {
    const fns = exportedFunctions(
      parseWit(`package a:b@0.1.0;
world w {
  resource counter;
  export make: func() -> counter;
  export pipe: func(s: stream<u8>) -> future<string>;
}`),
    );
    expect(fns[0]!.result).toEqual({ kind: "unsupported", what: "resource", name: "counter" });
    expect(fns[1]!.params[0]!.type).toEqual({ kind: "unsupported", what: "stream", name: "stream" });
  });
});
