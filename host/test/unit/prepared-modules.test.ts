// The prepared core modules kept beside a transpiled component: a later process must get exactly
// what the rewrite made (module bytes, image runs and bytes), per memory limit, and a damaged
// cache must cost only time.
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { afterEach, describe, expect, it } from "vitest";
import { PAGE } from "../../src/executor/memory-limit.js";
import { componentSourceMap, preparedModules, type PreparedModule } from "../../src/executor/prepared-modules.js";
import { replaceCustomSections } from "@airlock/wit-parser";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A transpiled component's folder with two core modules: one that can start from an image, one that cannot. */
async function transpiledDir(): Promise<{ dir: string; files: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), "airlock-prepared-"));
  dirs.push(dir);
  const withImage = await parse(`(module (memory (export "memory") 2) (data (i32.const 8) "hello") (data (i32.const 70000) "\\01\\02"))`);
  const importsMemory = await parse(`(module (import "env" "memory" (memory 1)))`);
  await writeFile(join(dir, "component.core.wasm"), withImage);
  await writeFile(join(dir, "component.core2.wasm"), importsMemory);
  return { dir, files: [join(dir, "component.core.wasm"), join(dir, "component.core2.wasm")] };
}

const plain = (modules: PreparedModule[]) =>
  modules.map(({ file, module, image }) => ({
    file,
    module: Buffer.from(module).toString("base64"),
    image: image && { ...image, runs: [...image.runs], bytes: Buffer.from(image.bytes).toString("base64") },
  }));

describe("preparedModules", () => {
  it("gives a later process the same modules and images from its cache folder, one folder per limit", async () => {
    const { dir, files } = await transpiledDir();
    const first = await preparedModules(dir, files, 16 * PAGE, true);
    expect(first.map((m) => [m.file, m.image !== undefined])).toEqual([
      ["component.core.wasm", true],
      ["component.core2.wasm", false],
    ]);
    expect((await readdir(dir)).filter((f) => f.startsWith("prepared-"))).toHaveLength(1);
    // Another limit is another folder, whose memory maximum is that limit.
    const other = await preparedModules(dir, files, 32 * PAGE, true);
    expect((await readdir(dir)).filter((f) => f.startsWith("prepared-"))).toHaveLength(2);
    expect(other[0]!.image!.maxPages).toBe(32);
    expect(first[0]!.image!.maxPages).toBe(16);
    // The cached copy is what is read now: a changed original would not be seen.
    await writeFile(files[0]!, new Uint8Array([0, 1, 2]));
    const second = await preparedModules(dir, files, 16 * PAGE, true);
    expect(plain(second)).toEqual(plain(first));
    expect(second[0]!.image!.bytes).toBeInstanceOf(SharedArrayBuffer);
    await WebAssembly.compile(second[0]!.module);
  });

  it("keeps modules that must get a fresh memory apart from the recycled ones", async () => {
    const { dir, files } = await transpiledDir();
    const fresh = await preparedModules(dir, files, 16 * PAGE, false);
    expect(fresh.every((m) => m.image === undefined)).toBe(true);
    expect((await preparedModules(dir, files, 16 * PAGE, true))[0]!.image).toBeDefined();
  });

  it("makes the modules again when the cache folder is damaged, and repairs it", async () => {
    const { dir, files } = await transpiledDir();
    const expected = plain(await preparedModules(dir, files, 16 * PAGE, true));
    const folder = join(
      dir,
      (await readdir(dir)).find((f) => f.startsWith("prepared-"))!,
    );
    await writeFile(join(folder, "component.core.wasm.image"), new Uint8Array([1, 2]));
    expect(plain(await preparedModules(dir, files, 16 * PAGE, true))).toEqual(expected);
    // Repaired: read from the cache again (the original is no longer looked at).
    await writeFile(files[0]!, new Uint8Array([0, 1, 2]));
    expect(plain(await preparedModules(dir, files, 16 * PAGE, true))).toEqual(expected);
  });
});

describe("componentSourceMap", () => {
  it("reads the component once for its source map, and remembers a component that has none", async () => {
    const { dir } = await transpiledDir();
    const component = replaceCustomSections(await parse("(component)"), [{ name: "airlock-source-map", payload: new TextEncoder().encode('{"version":3}') }]);
    let reads = 0;
    const read = async () => (reads++, component);
    expect(await componentSourceMap(dir, read)).toBe('{"version":3}');
    expect(await componentSourceMap(dir, read)).toBe('{"version":3}');
    expect(reads).toBe(1);

    const bare = join(dir, "bare");
    await mkdir(bare);
    const none = async () => (reads++, await parse("(component)"));
    expect(await componentSourceMap(bare, none)).toBeUndefined();
    expect(await componentSourceMap(bare, none)).toBeUndefined();
    expect(reads).toBe(2);
  });
});
