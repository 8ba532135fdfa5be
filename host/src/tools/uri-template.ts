// URI templates a component offers (RFC 6570 levels 1-2: `{name}`, `{+name}`, `{#name}`), parsed
// once at load and matched without backtracking: a template is run as a small automaton over the
// URI (every state advanced together, one character at a time), so the cost is at most the URI's
// length times the template's, never exponential. Templates come from guests: their size and
// variable count are bounded, and one read's matching work has a budget across all templates.

export const TEMPLATE_LIMITS = {
  /** Characters in one template. */
  length: 512,
  /** Expressions (`{...}`) in one template. */
  expressions: 32,
  /** URIs longer than this are never matched against templates. */
  uriLength: 8 * 1024,
  /** Automaton steps one read may spend on all templates together. */
  stepsPerRead: 4_000_000,
};

/** One character of literal text, or a variable matching one or more characters. */
type Element = { char: number } | { reserved: boolean };

export interface CompiledTemplate {
  template: string;
  elements: Element[];
  /** Literal text before the first and after the last variable: a cheap first test. */
  prefix: string;
  suffix: string;
}

/** Why a template is refused, or undefined when it can be served. */
export function templateProblem(template: string): string | undefined {
  try {
    compileTemplate(template);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export function compileTemplate(template: string): CompiledTemplate {
  if (template.length > TEMPLATE_LIMITS.length) throw new Error(`the URI template is ${template.length} characters; at most ${TEMPLATE_LIMITS.length} are allowed`);
  const elements: Element[] = [];
  let expressions = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === "}") throw new Error(`the URI template "${template}" has a "}" without a "{"`);
    if (c !== "{") {
      elements.push({ char: template.charCodeAt(i) });
      continue;
    }
    const end = template.indexOf("}", i);
    if (end === -1) throw new Error(`the URI template "${template}" has a "{" without a "}"`);
    const expression = template.slice(i + 1, end);
    if (!/^[+#]?[A-Za-z0-9_]+$/.test(expression)) {
      throw new Error(`the URI template expression {${expression}} is not supported: use {name}, {+name} or {#name} (one variable of letters, digits and "_")`);
    }
    if (++expressions > TEMPLATE_LIMITS.expressions) throw new Error(`the URI template has more than ${TEMPLATE_LIMITS.expressions} expressions`);
    if (expression.startsWith("#")) elements.push({ char: "#".charCodeAt(0) });
    elements.push({ reserved: expression[0] === "+" || expression[0] === "#" });
    i = end;
  }
  const first = elements.findIndex((e) => !("char" in e));
  // A template without a literal scheme (`{+any}`) would match every other component's URIs.
  const literalStart = first === -1 ? template : template.slice(0, template.indexOf("{"));
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(literalStart)) throw new Error(`the URI template "${template.slice(0, 100)}" must start with a literal scheme, such as notes://{id}`);
  const last = elements.findLastIndex((e) => !("char" in e));
  const text = (part: Element[]) => String.fromCharCode(...part.map((e) => (e as { char: number }).char));
  return {
    template,
    elements,
    prefix: first === -1 ? text(elements) : text(elements.slice(0, first)),
    suffix: first === -1 ? "" : text(elements.slice(last + 1)),
  };
}

/** The work one read may still do; shared by every template tried for that read. */
export interface MatchBudget {
  steps: number;
}

export class MatchBudgetExceeded extends Error {}

export const newBudget = (): MatchBudget => ({ steps: TEMPLATE_LIMITS.stepsPerRead });

/** `/`, `?` and `#` end a simple variable's value (`{name}`); `{+name}` and `{#name}` take them. */
const isDelimiter = (c: number) => c === 0x2f || c === 0x3f || c === 0x23;

/**
 * Whether `uri` matches. States: 2i is "before element i"; 2i+1 is "inside variable i, with at
 * least one character taken", which may also move on to 2i+2 without taking one.
 */
export function matchesTemplate(compiled: CompiledTemplate, uri: string, budget: MatchBudget = newBudget()): boolean {
  if (uri.length > TEMPLATE_LIMITS.uriLength) return false;
  if (compiled.prefix === compiled.template) return uri === compiled.template;
  if (!uri.startsWith(compiled.prefix) || !uri.endsWith(compiled.suffix) || uri.length < compiled.prefix.length + compiled.suffix.length) return false;
  const { elements } = compiled;
  const n = elements.length;
  const seenAt = new Int32Array(2 * n + 2).fill(-1);
  let current: number[] = [];
  let next: number[] = [];
  const add = (list: number[], state: number, step: number) => {
    if (seenAt[state] === step) return;
    seenAt[state] = step;
    list.push(state);
    if (state % 2 === 1) add(list, state + 1, step);
  };
  add(current, 0, 0);
  for (let position = 0; position < uri.length; position++) {
    const c = uri.charCodeAt(position);
    const step = position + 1;
    budget.steps -= current.length + 1;
    if (budget.steps < 0) throw new MatchBudgetExceeded("the resource templates are too costly to match against this URI");
    for (const state of current) {
      const index = state >> 1;
      if (index >= n) continue;
      const element = elements[index]!;
      if ("char" in element) {
        if (state % 2 === 0 && element.char === c) add(next, state + 2, step);
      } else if (element.reserved || !isDelimiter(c)) {
        add(next, 2 * index + 1, step);
      }
    }
    if (next.length === 0) return false;
    [current, next] = [next, current];
    next.length = 0;
  }
  return seenAt[2 * n] === uri.length;
}
