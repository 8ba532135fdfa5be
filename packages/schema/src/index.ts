export { inputSchema, outputSchema, typeSchema, UnsupportedTypeError, type JsonSchema } from "./json-schema.js";
export { camelCase, ConversionError, guestToJson, jsonToGuest } from "./convert.js";
export { createValidator, formatProblems, type ValidationProblem, type Validator, type ValidatorOptions } from "./validate.js";
export { unwrapDocs } from "./docs-text.js";
