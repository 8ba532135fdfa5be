// A tool's input schema as people read it (a table of parameters) and as a form to fill in.
// Schemas come from components: every string is rendered as text.
import type { Schema } from "./api.js";

/** The schema's type, without `null` (an optional WIT value), or "json" for anything composite. */
export function fieldType(schema: Schema): "string" | "number" | "integer" | "boolean" | "enum" | "json" {
  if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === "string")) return "enum";
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t) => t !== "null");
  const type = types.length === 1 ? types[0] : undefined;
  return type === "string" || type === "number" || type === "integer" || type === "boolean" ? type : "json";
}

function typeLabel(schema: Schema): string {
  if (schema.enum) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  if (Array.isArray(schema.type)) return schema.type.join(" or ");
  if (schema.type === "array" && schema.items) return `list of ${typeLabel(schema.items)}`;
  if (schema.anyOf || schema.oneOf) return "one of several shapes";
  return schema.type ?? "any JSON value";
}

export function SchemaTable({ schema, caption }: { schema: Schema; caption: string }) {
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) return <p>Takes no arguments.</p>;
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Argument</th>
          <th scope="col">Type</th>
          <th scope="col">Required</th>
          <th scope="col">Description</th>
        </tr>
      </thead>
      <tbody>
        {properties.map(([name, property]) => (
          <tr key={name}>
            <th scope="row">
              <code>{name}</code>
            </th>
            <td>{typeLabel(property)}</td>
            <td>{schema.required?.includes(name) ? "yes" : "no"}</td>
            <td>{property.description ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export type FormValues = Record<string, string | boolean>;

/** The arguments the form's values stand for; throws, naming the field, when one is not valid. */
export function argumentsOf(schema: Schema, values: FormValues): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const value = values[name];
    const type = fieldType(property);
    if (type === "boolean") {
      if (value !== undefined || schema.required?.includes(name)) args[name] = value === true;
      continue;
    }
    if (typeof value !== "string" || value === "") continue;
    if (type === "string" || type === "enum") args[name] = value;
    else if (type === "number" || type === "integer") {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new Error(`${name} must be a number`);
      args[name] = n;
    } else {
      try {
        args[name] = JSON.parse(value);
      } catch {
        throw new Error(`${name} must be JSON (${typeLabel(property)})`);
      }
    }
  }
  return args;
}

export function SchemaForm({ schema, values, onInput, idPrefix }: { schema: Schema; values: FormValues; onInput: (values: FormValues) => void; idPrefix: string }) {
  const set = (name: string, value: string | boolean) => onInput({ ...values, [name]: value });
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([name, property]) => {
        const id = `${idPrefix}-${name}`;
        const type = fieldType(property);
        const required = schema.required?.includes(name) ?? false;
        const hint = property.description ? (
          <span class="hint" id={`${id}-hint`}>
            {property.description}
          </span>
        ) : null;
        const described = property.description ? `${id}-hint` : undefined;
        const label = (
          <label for={id}>
            {name}
            {required ? " (required)" : ""}
            {type === "json" ? ` (JSON: ${typeLabel(property)})` : ""}
          </label>
        );
        if (type === "boolean") {
          return (
            <div class="field checkbox" key={name}>
              <input id={id} type="checkbox" checked={values[name] === true} onChange={(e) => set(name, (e.target as HTMLInputElement).checked)} aria-describedby={described} />
              {label}
              {hint}
            </div>
          );
        }
        if (type === "enum") {
          return (
            <div class="field" key={name}>
              {label}
              <select id={id} value={String(values[name] ?? "")} onChange={(e) => set(name, (e.target as HTMLSelectElement).value)} aria-describedby={described} required={required}>
                <option value="">(not set)</option>
                {property.enum!.map((v) => (
                  <option key={String(v)} value={String(v)}>
                    {String(v)}
                  </option>
                ))}
              </select>
              {hint}
            </div>
          );
        }
        const multiline = type === "json" || (type === "string" && /text|content|body|document|source|markdown/i.test(name));
        return (
          <div class="field" key={name}>
            {label}
            {multiline ? (
              <textarea
                id={id}
                rows={type === "json" ? 3 : 5}
                value={String(values[name] ?? "")}
                onInput={(e) => set(name, (e.target as HTMLTextAreaElement).value)}
                aria-describedby={described}
                required={required}
              />
            ) : (
              <input
                id={id}
                inputMode={type === "number" || type === "integer" ? "decimal" : undefined}
                value={String(values[name] ?? "")}
                onInput={(e) => set(name, (e.target as HTMLInputElement).value)}
                aria-describedby={described}
                required={required}
              />
            )}
            {hint}
          </div>
        );
      })}
    </>
  );
}
