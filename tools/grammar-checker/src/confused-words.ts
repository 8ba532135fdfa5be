// Commonly confused words that the retext plugins do not catch: a short list of patterns whose
// context makes the mistake unambiguous.
import { positionAt, type Position } from "./positions.js";

interface Pattern {
  /** Matches the whole context; group 1 is the word to replace. */
  regex: RegExp;
  replacement: (word: string) => string;
  reason: (word: string, replacement: string) => string;
}

const keepCase = (original: string, replacement: string) => (original[0] === original[0]?.toUpperCase() ? replacement[0]!.toUpperCase() + replacement.slice(1) : replacement);

const PATTERNS: Pattern[] = [
  {
    // "their going", "there going" -> "they're going"
    regex: /\b(their|there)\s+(?:going|coming|doing|being|getting|trying|not|always|never|very|so|too)\b/dgi,
    replacement: (w) => keepCase(w, "they're"),
    reason: (w, r) => `Use \`${r}\` (they are) instead of \`${w}\` here`,
  },
  {
    // "their is", "their are" -> "there is"
    regex: /\b(their)\s+(?:is|are|was|were)\b/dgi,
    replacement: (w) => keepCase(w, "there"),
    reason: (w, r) => `Use \`${r}\` instead of \`${w}\` before a verb`,
  },
  {
    // "your welcome", "your going" -> "you're"
    regex: /\b(your)\s+(?:welcome|going|right|wrong|not|being|doing|coming)\b/dgi,
    replacement: (w) => keepCase(w, "you're"),
    reason: (w, r) => `Use \`${r}\` (you are) instead of \`${w}\` here`,
  },
  {
    // "could of" -> "could have"
    regex: /\b(?:could|should|would|must|might)\s+(of)\b/dgi,
    replacement: () => "have",
    reason: (w, r) => `Use \`${r}\` instead of \`${w}\` after a modal verb`,
  },
];

export interface ConfusedWord {
  message: string;
  start: Position;
  end: Position;
  actual: string;
  suggestions: string[];
}

export function findConfusedWords(text: string): ConfusedWord[] {
  const found: ConfusedWord[] = [];
  for (const pattern of PATTERNS) {
    for (const match of text.matchAll(pattern.regex)) {
      const word = match[1]!;
      const offset = match.indices![1]![0];
      const replacement = pattern.replacement(word);
      found.push({
        message: pattern.reason(word, replacement),
        start: positionAt(text, offset),
        end: positionAt(text, offset + word.length),
        actual: word,
        suggestions: [replacement],
      });
    }
  }
  return found;
}
