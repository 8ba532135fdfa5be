// ajv for JSON Schema 2020-12 (the MCP default), loaded on first use.
import { createRequire } from "node:module";
import type { Ajv2020 as Ajv2020Class } from "ajv/dist/2020.js";

export type Ajv = InstanceType<typeof Ajv2020Class>;

let Ajv2020: typeof Ajv2020Class | undefined;

export function newAjv(): Ajv {
  Ajv2020 ??= (createRequire(import.meta.url)("ajv/dist/2020.js") as { Ajv2020: typeof Ajv2020Class }).Ajv2020;
  return new Ajv2020({ strict: false });
}
