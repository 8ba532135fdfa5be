// The mapping table in packages/schema/README.md names, for each WIT type, the end-to-end cases
// that prove it. This keeps the table and the tests from drifting apart.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rejections, roundTrips } from "./type-mapping.cases.js";

const readme = readFileSync(join(import.meta.dirname, "..", "..", "packages", "schema", "README.md"), "utf8");
const table = readme.slice(readme.indexOf("| WIT | JSON | schema | proved by |"));
const rows = table
  .split("\n")
  .slice(2)
  .filter((line, index, all) => line.startsWith("| ") && all.slice(0, index).every((l) => l.startsWith("| ")));

function named(cell: string, label: string): string[] {
  const match = new RegExp(`${label}: ([^;|]+)`).exec(cell);
  return match ? match[1]!.split(/, (?=[a-z0-9])/).map((s) => s.trim()) : [];
}

describe("the mapping table in packages/schema/README.md", () => {
  it("has a row for every WIT type, each naming the tests that prove it", () => {
    for (const type of [
      "bool",
      "s8",
      "u64",
      "f32",
      "char",
      "string",
      "list<T>",
      "list<u8>",
      "tuple",
      "record",
      "variant",
      "enum",
      "flags",
      "option<T>",
      "option<option<T>>",
      "result<T, E>",
      "resource",
    ]) {
      expect(
        rows.some((row) => row.includes(`\`${type}`) || row.startsWith(`| ${type}`)),
        type,
      ).toBe(true);
    }
    for (const row of rows) expect(row.split("|").at(-2)!.trim(), row).not.toBe("");
  });

  it("names only cases that exist", () => {
    const roundTripNames = new Set(roundTrips.map(([name]) => name));
    const rejectionNames = new Set(rejections.map(([name]) => name));
    let checked = 0;
    for (const row of rows) {
      const proof = row.split("|").at(-2)!;
      for (const name of named(proof, "round-trips")) {
        expect(roundTripNames, `round-trip case "${name}"`).toContain(name);
        checked++;
      }
      for (const name of named(proof, "refused")) {
        expect(rejectionNames, `refusal case "${name}"`).toContain(name);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});
