// The rewrite that lets a reset empty jco's handle tables, on real jco output (the handle-probe
// fixture and the file reader): it finds every table, and it refuses a glue laid out otherwise,
// which then keeps a new instance per call.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { transpileBytes } from "@bytecodealliance/jco-transpile";
import { beforeAll, describe, expect, it } from "vitest";
import { glueClearsHandles, withClearableHandles } from "../../src/executor/reset/glue-handles.js";
import { statefulBuiltin } from "../../src/executor/reset/canon-builtins.js";
import { fixture } from "../helpers/airlock.js";

const FILE_READER = join(import.meta.dirname, "..", "..", "..", "tools", "file-reader", "dist", "file-reader.wasm");

async function glueOf(path: string): Promise<string> {
  const { files } = await transpileBytes(await readFile(path), { name: "component", instantiation: { tag: "async" }, emitTypescriptDeclarations: false });
  return new TextDecoder().decode((files as Record<string, Uint8Array>)["component.js"]);
}

let probe: string;
let fileReader: string;
beforeAll(async () => {
  probe = await glueOf(fixture("handle-probe"));
  fileReader = await glueOf(FILE_READER);
}, 120_000);

describe("withClearableHandles", () => {
  it("clears every handle and capture table the glue declares", () => {
    for (const glue of [probe, fileReader]) {
      const tables = glue.match(/const handleTable\d+ = \[T_FLAG, 0\];/g)!.length;
      const rewritten = withClearableHandles(glue)!;
      expect(glueClearsHandles(rewritten)).toBe(true);
      const clear = /function __airlockClearHandles\(\) \{[\s\S]*?\n *return held;/.exec(rewritten)![0];
      expect(clear.match(/handleTable\d+/g)).toHaveLength(tables);
      expect(clear.match(/captureTable\d+\.clear\(\)/g)).toHaveLength(glue.match(/const captureTable\d+= new Map\(\);/g)!.length);
      // Handed to the worker at every instantiation.
      expect(rewritten).toContain(`imports["airlock:clear-handles"]?.({\n    clear: __airlockClearHandles,`);
      expect(rewritten.match(/inUse: \(\) => \[[^\]]*\]/)![0].match(/handleTable\d+/g)).toHaveLength(tables);
    }
    expect(fileReader.match(/const handleTable\d+ = /g)!.length).toBeGreaterThan(4);
  });

  it("refuses a glue it does not know: a table assigned again, a table nested elsewhere, two generators, a second pass", () => {
    expect(withClearableHandles(probe.replace("HANDLE_TABLES[0] = handleTable0;", "HANDLE_TABLES[0] = handleTable0;\n    handleTable0 = [T_FLAG, 0];"))).toBeUndefined();
    expect(withClearableHandles(probe.replace("    const captureTable0= new Map();", "      const captureTable0= new Map();"))).toBeUndefined();
    expect(withClearableHandles(probe.replace("    let captureCnt0= 0;", "    let captureCount0 = 0;"))).toBeUndefined();
    expect(withClearableHandles(`${probe}\n  let gen= (function* _initGenerator () {\n})();`)).toBeUndefined();
    expect(withClearableHandles(withClearableHandles(probe)!)).toBeUndefined();
    expect(withClearableHandles("")).toBeUndefined();
  });
});

describe("statefulBuiltin", () => {
  it("lets resource.drop pass only where the glue empties its handle tables", async () => {
    const bytes = await readFile(fixture("handle-probe"));
    expect(statefulBuiltin(bytes)).toMatch(/resource\.drop/);
    expect(statefulBuiltin(bytes, true)).toBeUndefined();
    // resource.new and resource.rep keep state the tables do not hold (a guest's own resources).
    const own = await readFile(fixture("quickjs-resource"));
    expect(statefulBuiltin(own, true)).toMatch(/resource\.(new|rep)/);
  });
});
