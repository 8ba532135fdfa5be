// JSON <-> the values jco's generated bindings take and return, following the representation
// of json-schema.ts. jco's side: records with camelCase keys, option none as undefined, 64-bit
// integers as BigInt, flags as an object of camelCase booleans, list<u8> as Uint8Array, nested
// result as {tag, val}; the outer levels of a nested option as {tag, val}.
import type { ResolvedType } from "@airlock/wit-parser";
import { INT64_LIMITS, isNullable, NON_FINITE } from "./json-schema.js";

/** A value that passed schema validation but still cannot be converted (a 64-bit string out of range). */
export class ConversionError extends Error {
  override name = "ConversionError";
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path || "/"}: ${message}`);
  }
}

/** `max-issues` -> `maxIssues`, as jco names record fields and flags. */
export function camelCase(kebab: string): string {
  return kebab.replace(/-([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function jsonToGuest(type: ResolvedType, value: unknown, path = ""): unknown {
  switch (type.kind) {
    case "primitive":
      return primitiveToGuest(type.name, value, path);
    case "list":
      if (type.element.kind === "primitive" && type.element.name === "u8") return Uint8Array.from(value as number[]);
      return (value as unknown[]).map((v, i) => jsonToGuest(type.element, v, `${path}/${i}`));
    case "tuple":
      return type.items.map((t, i) => jsonToGuest(t, (value as unknown[])[i], `${path}/${i}`));
    case "option":
      if (isNullable(type.inner)) {
        // jco tags the outer level of a nested option ({tag: "none"} | {tag: "some", val}); the
        // innermost level is a plain value or undefined.
        if (value === null || value === undefined) return { tag: "none" };
        return { tag: "some", val: jsonToGuest(type.inner, (value as { some: unknown }).some, `${path}/some`) };
      }
      if (value === null || value === undefined) return undefined;
      return jsonToGuest(type.inner, value, path);
    case "result": {
      const obj = value as { ok?: unknown; err?: unknown };
      if ("ok" in obj) return { tag: "ok", val: type.ok ? jsonToGuest(type.ok, obj.ok, `${path}/ok`) : undefined };
      return { tag: "err", val: type.err ? jsonToGuest(type.err, obj.err, `${path}/err`) : undefined };
    }
    case "record": {
      const obj = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const field of type.fields) out[camelCase(field.name)] = jsonToGuest(field.type, obj[field.name], `${path}/${field.name}`);
      return out;
    }
    case "variant": {
      const obj = value as { tag: string; val?: unknown };
      const found = type.cases.find((c) => c.name === obj.tag);
      return found?.type ? { tag: obj.tag, val: jsonToGuest(found.type, obj.val, `${path}/val`) } : { tag: obj.tag };
    }
    case "enum":
      return value;
    case "flags": {
      const set = new Set(value as string[]);
      return Object.fromEntries(type.flags.map((f) => [camelCase(f.name), set.has(f.name)]));
    }
    case "unsupported":
      throw new ConversionError(path, `${type.what} values cannot be passed as JSON`);
  }
}

function primitiveToGuest(name: string, value: unknown, path: string): unknown {
  switch (name) {
    case "s64":
    case "u64": {
      const big = BigInt(value as number | string);
      const { min, max } = INT64_LIMITS[name];
      if (big < min || big > max) throw new ConversionError(path, `${value} is out of range for ${name} (${min} to ${max})`);
      return big;
    }
    case "f32":
    case "f64":
      return typeof value === "string" ? Number(value) : value;
    case "char": {
      const code = (value as string).codePointAt(0)!;
      if (code >= 0xd800 && code <= 0xdfff) throw new ConversionError(path, `a lone surrogate (U+${code.toString(16).toUpperCase()}) is not a Unicode scalar value, which a char must be`);
      return value;
    }
    default:
      return value;
  }
}

export function guestToJson(type: ResolvedType, value: unknown): unknown {
  switch (type.kind) {
    case "primitive":
      return primitiveToJson(type.name, value);
    case "list":
      return Array.from(value as ArrayLike<unknown>, (v) => guestToJson(type.element, v));
    case "tuple":
      return type.items.map((t, i) => guestToJson(t, (value as unknown[])[i]));
    case "option": {
      if (isNullable(type.inner)) {
        const tagged = value as { tag: "none" | "some"; val?: unknown } | undefined;
        return !tagged || tagged.tag === "none" ? null : { some: guestToJson(type.inner, tagged.val) };
      }
      return value === undefined || value === null ? null : guestToJson(type.inner, value);
    }
    case "result": {
      const tagged = value as { tag: "ok" | "err"; val?: unknown };
      if (tagged.tag === "ok") return { ok: type.ok ? guestToJson(type.ok, tagged.val) : null };
      return { err: type.err ? guestToJson(type.err, tagged.val) : null };
    }
    case "record": {
      const obj = value as Record<string, unknown>;
      return Object.fromEntries(type.fields.map((f) => [f.name, guestToJson(f.type, obj[camelCase(f.name)])]));
    }
    case "variant": {
      const tagged = value as { tag: string; val?: unknown };
      const found = type.cases.find((c) => c.name === tagged.tag);
      return found?.type ? { tag: tagged.tag, val: guestToJson(found.type, tagged.val) } : { tag: tagged.tag };
    }
    case "enum":
      return value;
    case "flags": {
      const obj = value as Record<string, boolean>;
      return type.flags.filter((f) => obj[camelCase(f.name)]).map((f) => f.name);
    }
    case "unsupported":
      throw new ConversionError("", `${type.what} values cannot be returned as JSON`);
  }
}

function primitiveToJson(name: string, value: unknown): unknown {
  if (typeof value === "bigint") {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if ((name === "f32" || name === "f64") && typeof value === "number" && !Number.isFinite(value)) {
    return NON_FINITE.find((s) => Object.is(Number(s), value)) ?? "NaN";
  }
  return value;
}
