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
import type { Processor } from "unified";
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
  const processorFor = (withSpelling: boolean, quoteStyle: QuoteStyle): Processor => {
    const key = `${withSpelling}:${quoteStyle}`;
    let processor = processors.get(key);
    if (!processor) {
      processor = buildProcessor(withSpelling ? spelling : undefined, quoteStyle);
      processors.set(key, processor);
    }
    return processor;
  };
  // Build every processor now, so that a component snapshot holds them ready.
  for (const quoteStyle of ["straight", "smart"] as const) {
    processorFor(true, quoteStyle);
    processorFor(false, quoteStyle);
  }

  return (text, options = {}) => {
    const rules = new Set<Rule>(options.rules ?? RULES);
    const maxIssues = options.maxIssues ?? DEFAULT_MAX_ISSUES;
    const ignored = new Set((options.ignoreWords ?? []).map((w) => w.toLowerCase()));
    const processor = processorFor(rules.has("spelling"), options.quoteStyle ?? "straight");
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

function buildProcessor(spelling: ReturnType<typeof retextSpelling> | undefined, quoteStyle: QuoteStyle): Processor {
  const processor = retext()
    .use(retextRepeatedWords)
    .use(retextIndefiniteArticle)
    .use(retextContractions, { straight: quoteStyle === "straight" })
    .use(retextQuotes, { preferred: quoteStyle })
    .use(retextSentenceSpacing)
    .use(retextRedundantAcronyms)
    .use(retextSimplify);
  return (spelling ? processor.use(spelling) : processor).freeze() as unknown as Processor;
}
