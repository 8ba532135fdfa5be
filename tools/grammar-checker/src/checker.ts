// The grammar checker itself: plain TypeScript on the retext ecosystem, unit-tested natively and
// componentized unchanged. Shapes follow the WIT world (jco's camelCase naming).
import { retext } from "retext";
import retextContractions from "retext-contractions";
import retextIndefiniteArticle from "retext-indefinite-article";
import retextQuotes from "retext-quotes";
import retextRedundantAcronyms from "retext-redundant-acronyms";
import retextRepeatedWords from "retext-repeated-words";
import retextSentenceSpacing from "retext-sentence-spacing";
import retextSimplify from "retext-simplify";
import type { PluggableList, Processor } from "unified";
import { findConfusedWords } from "./confused-words.js";
import { positionAt, type Position } from "./positions.js";
import { retextSpelling, SPELLING_SOURCE } from "./spelling.js";

export const RULES = ["repeated-words", "indefinite-article", "spelling", "contractions", "quotes", "sentence-spacing", "redundant-acronyms", "plain-language", "confused-words"] as const;
export type Rule = (typeof RULES)[number];
export type Severity = "error" | "warning" | "suggestion";
export type QuoteStyle = "straight" | "smart";

export interface Issue {
  rule: Rule;
  message: string;
  severity: Severity;
  start: Position;
  end: Position;
  actual: string;
  suggestions: string[];
}

export interface CheckOptions {
  rules?: Rule[];
  maxIssues?: number;
  ignoreWords?: string[];
  quoteStyle?: QuoteStyle;
}

/** Hunspell files: text, or Node Buffers as dictionary-en gives them. */
export interface Dictionary {
  aff: string | Uint8Array;
  dic: string | Uint8Array;
}

export const DEFAULT_MAX_ISSUES = 100;

const RULE_BY_SOURCE: Record<string, Rule> = {
  "retext-repeated-words": "repeated-words",
  "retext-indefinite-article": "indefinite-article",
  [SPELLING_SOURCE]: "spelling",
  "retext-contractions": "contractions",
  "retext-quotes": "quotes",
  "retext-sentence-spacing": "sentence-spacing",
  "retext-redundant-acronyms": "redundant-acronyms",
  "retext-simplify": "plain-language",
};

const SEVERITY: Record<Rule, Severity> = {
  "repeated-words": "error",
  "indefinite-article": "error",
  spelling: "error",
  contractions: "error",
  "confused-words": "error",
  quotes: "warning",
  "sentence-spacing": "warning",
  "redundant-acronyms": "suggestion",
  "plain-language": "suggestion",
};

type Check = (text: string, options?: CheckOptions) => Issue[];

/**
 * Builds the processors once (loading the dictionary is the expensive part; in a component it
 * happens at build time and is captured in the snapshot) and returns the check function.
 */
export function createChecker(dictionary: Dictionary): Check {
  const spelling = retextSpelling(dictionary);
  const processors = new Map<string, Processor>();
  // A processor runs only the plugins of the rules asked for: one rule costs one plugin's pass,
  // not all eight (each is a few milliseconds of a 1,000-word check natively, ten times that in
  // a component's interpreter).
  const processorFor = (rules: Set<Rule>, quoteStyle: QuoteStyle): Processor => {
    const selected = RULES.filter((rule) => rules.has(rule) && rule !== "confused-words");
    const key = `${quoteStyle}:${selected.join(",")}`;
    let processor = processors.get(key);
    if (!processor) {
      processor = buildProcessor(new Set(selected), spelling, quoteStyle);
      processors.set(key, processor);
    }
    return processor;
  };
  // Build the usual processors now (every rule, with and without spelling), so that a component
  // snapshot holds them ready; another selection is built at its call.
  for (const quoteStyle of ["straight", "smart"] as const) {
    processorFor(new Set(RULES), quoteStyle);
    processorFor(new Set(RULES.filter((rule) => rule !== "spelling")), quoteStyle);
  }

  return (text, options = {}) => {
    const rules = new Set<Rule>(options.rules ?? RULES);
    const maxIssues = options.maxIssues ?? DEFAULT_MAX_ISSUES;
    const ignored = new Set((options.ignoreWords ?? []).map((w) => w.toLowerCase()));
    const processor = processorFor(rules, options.quoteStyle ?? "straight");
    const file = processor.processSync(text);
    const issues: Issue[] = [];
    for (const message of file.messages) {
      const rule = RULE_BY_SOURCE[message.source ?? ""];
      if (!rule || !rules.has(rule)) continue;
      const start = message.place && "start" in message.place ? message.place.start : message.place;
      const end = message.place && "end" in message.place ? message.place.end : start;
      if (start?.offset === undefined || end?.offset === undefined) continue;
      const actual = text.slice(start.offset, end.offset);
      if (rule === "spelling" && ignored.has(actual.toLowerCase())) continue;
      issues.push({
        rule,
        message: message.reason,
        severity: SEVERITY[rule],
        start: positionAt(text, start.offset),
        end: positionAt(text, end.offset),
        actual,
        suggestions: (message.expected ?? []).filter((s): s is string => typeof s === "string"),
      });
    }
    if (rules.has("confused-words")) {
      for (const found of findConfusedWords(text)) {
        issues.push({ rule: "confused-words", severity: SEVERITY["confused-words"], ...found });
      }
    }
    issues.sort((a, b) => a.start.offset - b.start.offset || a.end.offset - b.end.offset);
    return issues.slice(0, maxIssues);
  };
}

function buildProcessor(rules: Set<Rule>, spelling: ReturnType<typeof retextSpelling>, quoteStyle: QuoteStyle): Processor {
  const plugins: PluggableList = [];
  if (rules.has("repeated-words")) plugins.push(retextRepeatedWords);
  if (rules.has("indefinite-article")) plugins.push(retextIndefiniteArticle);
  if (rules.has("contractions")) plugins.push([retextContractions, { straight: quoteStyle === "straight" }]);
  if (rules.has("quotes")) plugins.push([retextQuotes, { preferred: quoteStyle }]);
  if (rules.has("sentence-spacing")) plugins.push(retextSentenceSpacing);
  if (rules.has("redundant-acronyms")) plugins.push(retextRedundantAcronyms);
  if (rules.has("plain-language")) plugins.push(retextSimplify);
  if (rules.has("spelling")) plugins.push(spelling);
  return retext().use(plugins).freeze() as unknown as Processor;
}
