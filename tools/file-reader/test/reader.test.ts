// The reader's operations on real temporary directory trees (Node fs underneath).
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileError } from "../src/file-system.js";
import { fileMetadata, listDirectory, MAX_READ_BYTES, readFile, searchFiles } from "../src/reader.js";
import { nodeFileSystem as fs } from "./node-file-system.js";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "file-reader-"));
  await mkdir(join(root, "docs", "deep", "deeper"), { recursive: true });
  await writeFile(join(root, "notes.md"), "# Notes\nbuy milk\ncall Ada\n");
  await writeFile(join(root, "docs", "a.md"), "alpha\nmilk again\n");
  await writeFile(join(root, "docs", "deep", "b.txt"), "beta\n");
  await writeFile(join(root, "docs", "deep", "deeper", "c.md"), "gamma milk\n");
  await writeFile(join(root, "image.bin"), Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0, 1, 2));
  await writeFile(join(root, "big.txt"), "y".repeat(MAX_READ_BYTES + 10));
  await symlink(join(root, "notes.md"), join(root, "link.md"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("readFile", () => {
  it("returns numbered lines, all or a range", () => {
    expect(readFile(fs, join(root, "notes.md"))).toEqual({
      path: join(root, "notes.md"),
      lines: [
        { number: 1, text: "# Notes" },
        { number: 2, text: "buy milk" },
        { number: 3, text: "call Ada" },
      ],
      totalLines: 3,
      truncated: false,
    });
    expect(readFile(fs, join(root, "notes.md"), 2, 2).lines).toEqual([{ number: 2, text: "buy milk" }]);
  });

  it("refuses binary files, relative paths and directories with clear messages", () => {
    expect(() => readFile(fs, join(root, "image.bin"))).toThrow("looks like a binary file");
    expect(() => readFile(fs, "notes.md")).toThrow('"notes.md" is not an absolute path');
    expect(() => readFile(fs, join(root, "docs"))).toThrow("is a directory: use list-directory");
    expect(() => readFile(fs, join(root, "notes.md"), 3, 1)).toThrow(FileError);
  });

  it("caps the size it reads", () => {
    const big = readFile(fs, join(root, "big.txt"));
    expect(big.truncated).toBe(true);
    expect(big.lines[0]!.text.length).toBe(MAX_READ_BYTES);
  });
});

describe("listDirectory", () => {
  it("lists one level by default and recurses to the given depth", () => {
    const names = (entries: { path: string }[]) => entries.map((e) => e.path.slice(root.length + 1));
    expect(names(listDirectory(fs, root))).toEqual(["big.txt", "docs", "image.bin", "link.md", "notes.md"]);
    expect(names(listDirectory(fs, join(root, "docs"), 1))).toEqual(["docs/a.md", "docs/deep", "docs/deep/b.txt", "docs/deep/deeper"]);
    expect(listDirectory(fs, root).find((e) => e.path.endsWith("link.md"))?.kind).toBe("symlink");
    expect(() => listDirectory(fs, root, 11)).toThrow("more than the limit of 10");
  });
});

describe("searchFiles", () => {
  it("finds files by glob and lines by text", () => {
    expect(searchFiles(fs, root, "**/*.md").map((m) => m.path.slice(root.length + 1))).toEqual(["docs/a.md", "docs/deep/deeper/c.md", "notes.md"]);
    expect(searchFiles(fs, root, undefined, "milk").map((m) => [m.path.slice(root.length + 1), m.line, m.text])).toEqual([
      ["docs/a.md", 2, "milk again"],
      ["docs/deep/deeper/c.md", 1, "gamma milk"],
      ["notes.md", 2, "buy milk"],
    ]);
  });
});

describe("fileMetadata", () => {
  it("gives kind and size", () => {
    expect(fileMetadata(fs, join(root, "notes.md"))).toMatchObject({ kind: "file", size: 26n });
  });
});
