// In the worker: a provider component's schemas at work. Validators are compiled once per schema
// and kept for the worker's life; everything here runs under the call's time limit.
import { createValidator, formatProblems, type JsonSchema, type Validator } from "@airlock/schema";
import { checkProvidedTools, toProvidedResult, type ProvidedTool } from "../tools/provided-tools.js";

/** By tool name and schema: a worker serves one component, whose tool names are unique. */
const validators = new Map<string, Validator>();

function validatorFor(key: string, schema: JsonSchema): Validator {
  let validator = validators.get(key);
  if (!validator) validators.set(key, (validator = createValidator(schema)));
  return validator;
}

/** Why the arguments do not fit the tool's input schema, or undefined when they do. */
export function providerArguments(tool: ProvidedTool, argumentsJson: string): string | undefined {
  const problems = validatorFor(`${tool.name} input`, tool.inputSchema)(JSON.parse(argumentsJson));
  return problems.length > 0 ? `invalid arguments for ${tool.name}: ${formatProblems(problems)}` : undefined;
}

/** list-tools' answer checked, or call-tool's answer as MCP content; `problem` says what is wrong. */
export function providerAnswer(componentId: string, work: { list: true } | { call: ProvidedTool }, raw: unknown): { value: unknown } | { problem: string } {
  if ("list" in work) {
    try {
      return { value: checkProvidedTools(componentId, raw) };
    } catch (error) {
      return { problem: (error as Error).message };
    }
  }
  const result = toProvidedResult(work.call, raw, (schema) => validatorFor(`${work.call.name} output`, schema));
  return "problem" in result ? { problem: `${componentId} answered ${work.call.name} wrongly: ${result.problem}` } : { value: result };
}
