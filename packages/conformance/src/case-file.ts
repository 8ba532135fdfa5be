// The case file (conformance.yaml): read, validated key by key, with errors that name the file,
// the case and the key. The format is documented in the package README.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { ConformanceError } from "./errors.js";

export const GRANT_KINDS = ["storage", "network", "environment"] as const;
export type GrantKind = (typeof GRANT_KINDS)[number];

export interface Grants {
  storage?: { uri: string; access: ("read" | "write")[] }[];
  network?: { host: string }[];
  environment?: { key: string }[];
}

export type Expectation = { result: unknown } | { contains: unknown } | { error: string } | { denied: GrantKind };

export interface Case {
  name: string;
  tool: string;
  arguments: Record<string, unknown>;
  expect: Expectation;
  grants?: Grants;
}

export interface AllowedImport {
  interface: string;
  reason: string;
}

export interface CaseFile {
  file: string;
  component?: string;
  world?: string;
  allowImports: AllowedImport[];
  cases: Case[];
}

const TOP_KEYS = ["component", "world", "allow-imports", "cases"];
const CASE_KEYS = ["name", "tool", "arguments", "expect", "grants"];
const EXPECT_KEYS = ["result", "contains", "error", "denied"];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export function readCaseFile(file: string): CaseFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new ConformanceError(`cannot read the case file ${file}`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    // The yaml library's message ends with a source excerpt after its first line: keep the
    // line and column it names, and say what it found there.
    const message = (error as Error).message.split("\n")[0]!.replace(/:\s*$/, "");
    const excerpt = (error as Error).message
      .split("\n")
      .slice(1)
      .find((l) => l.trim() !== "" && !/^\s*\^/.test(l));
    throw new ConformanceError(`${file}: not valid YAML: ${message}${excerpt ? ` (near: ${excerpt.trim()})` : ""}; an unclosed { or [ earlier in the file is often the cause`);
  }
  return validateCaseFile(doc ?? {}, file);
}

export function validateCaseFile(doc: unknown, file: string): CaseFile {
  const fail = (where: string, problem: string): never => {
    throw new ConformanceError(`${file}: ${where}: ${problem} (format: packages/conformance/README.md)`);
  };
  if (!isObject(doc)) fail("top level", "expected a mapping with `cases:`");
  const top = doc as Json;
  unknownKeys(top, TOP_KEYS, (key) => fail(key, `unknown key (expected one of ${TOP_KEYS.join(", ")})`));
  const out: CaseFile = { file, allowImports: [], cases: [] };
  if (top.component !== undefined) out.component = text(top.component, "component", fail);
  if (top.world !== undefined) out.world = text(top.world, "world", fail);
  if (top["allow-imports"] !== undefined) out.allowImports = allowImports(top["allow-imports"], fail);
  if (top.cases !== undefined && !Array.isArray(top.cases)) fail("cases", "expected a list of cases");
  const names = new Set<string>();
  ((top.cases as unknown[] | undefined) ?? []).forEach((raw, index) => {
    const c = readCase(raw, `cases[${index}]`, fail);
    if (names.has(c.name)) fail(`cases[${index}] ("${c.name}").name`, "another case has the same name");
    names.add(c.name);
    out.cases.push(c);
  });
  return out;
}

type Fail = (where: string, problem: string) => never;

function readCase(raw: unknown, at: string, fail: Fail): Case {
  if (!isObject(raw)) return fail(at, "expected a mapping with name, tool, arguments and expect");
  const name = text(raw.name, `${at}.name`, fail);
  const where = `${at} ("${name}")`;
  unknownKeys(raw, CASE_KEYS, (key) => fail(`${where}.${key}`, `unknown key (expected one of ${CASE_KEYS.join(", ")})`));
  const tool = text(raw.tool, `${where}.tool`, fail);
  const args = raw.arguments ?? {};
  if (!isObject(args)) fail(`${where}.arguments`, 'expected a mapping of argument names to values, e.g. { text: "Hello" }');
  const c: Case = { name, tool, arguments: args as Json, expect: readExpect(raw.expect, `${where}.expect`, fail) };
  if (raw.grants !== undefined) c.grants = readGrants(raw.grants, `${where}.grants`, fail);
  return c;
}

function readExpect(raw: unknown, at: string, fail: Fail): Expectation {
  if (!isObject(raw)) return fail(at, "expected a mapping with one of result, contains, error, denied");
  unknownKeys(raw, EXPECT_KEYS, (key) => fail(`${at}.${key}`, `unknown key (expected one of ${EXPECT_KEYS.join(", ")})`));
  const keys = Object.keys(raw);
  if (keys.length !== 1) fail(at, `expected exactly one of result, contains, error, denied, found ${keys.length ? keys.join(", ") : "none"}`);
  const key = keys[0]!;
  if (key === "error") return { error: text(raw.error, `${at}.error`, fail) };
  if (key === "denied") {
    const kind = raw.denied;
    if (!GRANT_KINDS.includes(kind as GrantKind)) fail(`${at}.denied`, `expected storage, network or environment, found ${JSON.stringify(kind)}`);
    return { denied: kind as GrantKind };
  }
  return key === "result" ? { result: raw.result } : { contains: raw.contains };
}

function readGrants(raw: unknown, at: string, fail: Fail): Grants {
  if (!isObject(raw)) return fail(at, "expected a mapping with storage, network and/or environment");
  unknownKeys(raw, GRANT_KINDS, (key) => fail(`${at}.${key}`, "unknown key (expected storage, network or environment)"));
  const list = (key: GrantKind): Json[] => {
    const value = raw[key];
    if (value === undefined) return [];
    if (!Array.isArray(value) || !value.every(isObject)) fail(`${at}.${key}`, "expected a list of mappings");
    return value as Json[];
  };
  const grants: Grants = {};
  const storage = list("storage").map((g, i) => {
    unknownKeys(g, ["uri", "access"], (key) => fail(`${at}.storage[${i}].${key}`, "unknown key (expected uri, access)"));
    const uri = text(g.uri, `${at}.storage[${i}].uri`, fail);
    if (!uri.startsWith("fs://")) fail(`${at}.storage[${i}].uri`, `expected an fs:// URI such as "fs://{tool}/conformance/docs", found "${uri}"`);
    const access = g.access ?? ["read"];
    if (!Array.isArray(access) || access.length === 0 || !access.every((a) => a === "read" || a === "write")) {
      fail(`${at}.storage[${i}].access`, 'expected a list of "read" and/or "write"');
    }
    return { uri, access: access as ("read" | "write")[] };
  });
  const network = list("network").map((g, i) => {
    unknownKeys(g, ["host"], (key) => fail(`${at}.network[${i}].${key}`, "unknown key (expected host)"));
    return { host: text(g.host, `${at}.network[${i}].host`, fail) };
  });
  const environment = list("environment").map((g, i) => {
    unknownKeys(g, ["key"], (key) => fail(`${at}.environment[${i}].${key}`, "unknown key (expected key)"));
    return { key: text(g.key, `${at}.environment[${i}].key`, fail) };
  });
  if (storage.length) grants.storage = storage;
  if (network.length) grants.network = network;
  if (environment.length) grants.environment = environment;
  if (!storage.length && !network.length && !environment.length) fail(at, "grants nothing: give storage, network or environment, or remove the key");
  return grants;
}

function allowImports(raw: unknown, fail: Fail): AllowedImport[] {
  if (!Array.isArray(raw)) return fail("allow-imports", "expected a list of { interface, reason }");
  return raw.map((entry, i) => {
    if (!isObject(entry)) return fail(`allow-imports[${i}]`, "expected a mapping with interface and reason");
    unknownKeys(entry, ["interface", "reason"], (key) => fail(`allow-imports[${i}].${key}`, "unknown key (expected interface, reason)"));
    const name = text(entry.interface, `allow-imports[${i}].interface`, fail);
    if (!/^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*$/.test(name)) {
      fail(`allow-imports[${i}].interface`, `expected an interface name without version such as "wasi:filesystem/types", found "${name}"`);
    }
    return { interface: name, reason: text(entry.reason, `allow-imports[${i}].reason`, fail) };
  });
}

function text(value: unknown, at: string, fail: Fail): string {
  if (typeof value !== "string" || value.trim() === "") return fail(at, value === undefined ? "is required" : `expected a non-empty string, found ${JSON.stringify(value)}`);
  return value;
}

function unknownKeys(object: Json, known: readonly string[], report: (key: string) => void): void {
  for (const key of Object.keys(object)) if (!known.includes(key)) report(key);
}
