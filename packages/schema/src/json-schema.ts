// WIT type -> JSON Schema (draft 2020-12, the MCP default). The mapping is documented in the
// README; value conversion (convert.ts) follows exactly the same representation.
import type { ExportedFunction, ResolvedType } from "@airlock/wit-parser";
import { unwrapDocs } from "./docs-text.js";

export type JsonSchema = Record<string, unknown>;

const INTEGER_RANGES: Record<string, [number, number]> = {
  s8: [-128, 127],
  s16: [-32768, 32767],
  s32: [-2147483648, 2147483647],
  u8: [0, 255],
  u16: [0, 65535],
  u32: [0, 4294967295],
};

export const INT64_LIMITS = {
  s64: { min: -(2n ** 63n), max: 2n ** 63n - 1n },
  u64: { min: 0n, max: 2n ** 64n - 1n },
} as const;

/** Floats that JSON cannot hold travel as these strings. */
export const NON_FINITE = ["NaN", "Infinity", "-Infinity"] as const;

export class UnsupportedTypeError extends Error {
  override name = "UnsupportedTypeError";
}

/** The schema of one WIT type, with its WIT docs as the description. */
export function typeSchema(type: ResolvedType, docs?: string): JsonSchema {
  const { description: typeNote, ...schema } = bareSchema(type);
  const ownDocs = docs ?? ("docs" in type ? type.docs : undefined);
  const description = [ownDocs && unwrapDocs(ownDocs), typeNote].filter(Boolean).join(". ");
  return description ? { description, ...schema } : schema;
}

function bareSchema(type: ResolvedType): JsonSchema {
  switch (type.kind) {
    case "primitive":
      return primitiveSchema(type.name);
    case "list":
      return {
        type: "array",
        items: typeSchema(type.element),
        ...(type.length === undefined ? {} : { minItems: type.length, maxItems: type.length }),
      };
    case "tuple":
      return {
        type: "array",
        prefixItems: type.items.map((t) => typeSchema(t)),
        // maxItems rules out extra items; `items: false` would say the same but is not portable.
        minItems: type.items.length,
        maxItems: type.items.length,
      };
    case "option":
      return isNullable(type.inner) ? { anyOf: [{ type: "null" }, someWrapper(typeSchema(type.inner))] } : { anyOf: [typeSchema(type.inner), { type: "null" }] };
    case "result":
      return {
        oneOf: [
          objectOf({ ok: type.ok ? typeSchema(type.ok) : { type: "null" } }, type.ok ? ["ok"] : []),
          objectOf({ err: type.err ? typeSchema(type.err) : { type: "null" } }, type.err ? ["err"] : []),
        ],
      };
    case "record":
      return objectOf(
        Object.fromEntries(type.fields.map((f) => [f.name, typeSchema(f.type, f.docs)])),
        type.fields.filter((f) => f.type.kind !== "option").map((f) => f.name),
      );
    case "variant":
      return {
        oneOf: type.cases.map((c) =>
          objectOf({ tag: { const: c.name, ...(c.docs ? { description: c.docs } : {}) }, ...(c.type ? { val: typeSchema(c.type) } : {}) }, c.type ? ["tag", "val"] : ["tag"]),
        ),
      };
    case "enum":
      return { type: "string", enum: type.cases.map((c) => c.name) };
    case "flags":
      return { type: "array", items: { type: "string", enum: type.flags.map((f) => f.name) }, uniqueItems: true };
    case "unsupported":
      throw new UnsupportedTypeError(type.what === type.name ? `a ${type.what}` : `the ${type.what} type "${type.name}"`);
  }
}

function primitiveSchema(name: string): JsonSchema {
  const range = INTEGER_RANGES[name];
  if (range) return { type: "integer", minimum: range[0], maximum: range[1] };
  switch (name) {
    case "bool":
      return { type: "boolean" };
    case "string":
      return { type: "string" };
    case "char":
      return { type: "string", minLength: 1, maxLength: 1, description: "exactly one Unicode code point" };
    case "f32":
    case "f64":
      return {
        anyOf: [{ type: "number" }, { type: "string", enum: [...NON_FINITE] }],
        description: `${name}; NaN and the infinities as the strings "NaN", "Infinity", "-Infinity"`,
      };
    case "s64":
    case "u64": {
      const { min, max } = INT64_LIMITS[name];
      return {
        anyOf: [
          { type: "integer", minimum: Math.max(Number(min), Number.MIN_SAFE_INTEGER), maximum: Math.min(Number(max), Number.MAX_SAFE_INTEGER) },
          { type: "string", pattern: name === "u64" ? "^[0-9]{1,20}$" : "^-?[0-9]{1,19}$" },
        ],
        description: `${name} (${min} to ${max}); values beyond 2^53 as decimal strings`,
      };
    }
    default:
      throw new UnsupportedTypeError(`the type ${name}`);
  }
}

/** An option whose payload can itself be JSON null needs a wrapper to tell none from some(none). */
export function isNullable(type: ResolvedType): boolean {
  return type.kind === "option";
}

function someWrapper(inner: JsonSchema): JsonSchema {
  return objectOf({ some: inner }, ["some"]);
}

function objectOf(properties: Record<string, JsonSchema>, required: string[]): JsonSchema {
  return { type: "object", properties, ...(required.length ? { required } : {}), additionalProperties: false };
}

/** The tool's inputSchema: one property per parameter; `option` parameters may be left out. */
export function inputSchema(fn: ExportedFunction, paramDocs: Record<string, string> = {}): JsonSchema {
  return {
    type: "object",
    properties: Object.fromEntries(fn.params.map((p) => [p.name, typeSchema(p.type, p.docs ?? paramDocs[p.name])])),
    required: fn.params.filter((p) => p.type.kind !== "option").map((p) => p.name),
    additionalProperties: false,
  };
}

/**
 * The tool's outputSchema: `{result}` for the value; a function returning `result<T, E>`
 * returns `{result: T}` on success and `{error: E}` on failure, so both are allowed.
 * Undefined when the function returns nothing.
 */
export function outputSchema(fn: ExportedFunction): JsonSchema | undefined {
  const result = fn.result;
  if (!result) return undefined;
  if (result.kind === "result") {
    return {
      type: "object",
      properties: {
        result: result.ok ? typeSchema(result.ok) : { type: "null" },
        error: result.err ? typeSchema(result.err) : { type: "null" },
      },
      minProperties: 1,
      maxProperties: 1,
      additionalProperties: false,
    };
  }
  return objectOf({ result: typeSchema(result) }, ["result"]);
}
