import { componentWit, parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { describe, expect, it } from "vitest";
import { PACKAGE_DOCS_SECTION, encodePackageDocs, isComponent, packageDocsFor, parseWit, readCustomSections, replaceCustomSections } from "../src/index.js";

const WAT = `(component
  (core module $m (func (export "f") (param i32) (result i32) local.get 0))
  (core instance $i (instantiate $m))
  (func $f (param "x" u32) (result u32) (canon lift (core func $i "f")))
  (export "double" (func $f)))`;

describe("custom sections", () => {
  it("writes package-docs that wasm-tools reads back as doc comments on the decoded world", async () => {
    const component = await parse(WAT);
    expect(isComponent(component)).toBe(true);
    const [pkg] = parseWit(`package demo:d@0.1.0;
      world tool {
        /// Doubles a number.
        export double: func(x: u32) -> u32;
      }`);
    const docs = packageDocsFor(pkg!.worlds[0]!);
    const withDocs = replaceCustomSections(component, [{ name: PACKAGE_DOCS_SECTION, payload: encodePackageDocs(docs) }]);
    expect(await componentWit(withDocs)).toContain("/// Doubles a number.\n  export double: func(x: u32) -> u32;");
    expect(readCustomSections(withDocs).map((s) => s.name)).toContain(PACKAGE_DOCS_SECTION);
  });

  it("replaces a section instead of adding a second copy", async () => {
    const component = await parse(WAT);
    const payload = (text: string) => new TextEncoder().encode(text);
    const once = replaceCustomSections(component, [{ name: "x", payload: payload("one") }]);
    const twice = replaceCustomSections(once, [{ name: "x", payload: payload("two") }]);
    const found = readCustomSections(twice).filter((s) => s.name === "x");
    expect(found.map((s) => new TextDecoder().decode(s.payload))).toEqual(["two"]);
  });

  it("refuses bytes that are not WebAssembly", () => {
    expect(() => readCustomSections(new TextEncoder().encode("#!/bin/sh\necho hi"))).toThrow("not a WebAssembly binary");
  });
});
