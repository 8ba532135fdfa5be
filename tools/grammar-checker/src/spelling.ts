// The spelling rule: a retext plugin on nspell with the bundled Hunspell dictionary.
// retext-spell would do the checking, but its suggestions (nspell's `suggest`) search edit
// distance 2 for every unknown word: a name like "Zorblax" took ~8 s inside a component. Here
// suggestions come from edit distance 1 only (typos: a swapped, missing, extra or wrong letter),
// a few hundred dictionary lookups per word.
import type { Root } from "nlcst";
import { isLiteral } from "nlcst-is-literal";
import { toString } from "nlcst-to-string";
import nspell from "nspell";
import { visit } from "unist-util-visit";
import type { VFile } from "vfile";
import type { Dictionary } from "./checker.js";

export const SPELLING_SOURCE = "airlock-spelling";
const ALPHABET = "abcdefghijklmnopqrstuvwxyz'";
const MAX_SUGGESTIONS = 5;
const MAX_SUGGESTED_LENGTH = 24;

interface Speller {
  correct(word: string): boolean;
}

export function retextSpelling(dictionary: Dictionary) {
  const speller: Speller = nspell(dictionary as { aff: string; dic: string });
  return function spelling() {
    return (tree: Root, file: VFile) => {
      const cache = new Map<string, string[]>();
      visit(tree, "WordNode", (node, index, parent) => {
        if (!parent || index === undefined || isLiteral(parent, index)) return;
        const word = toString(node).replace(/’/g, "'");
        if (/\d/.test(word) || isCorrect(speller, word, node.children)) return;
        let suggestions = cache.get(word);
        if (!suggestions) {
          suggestions = suggest(speller, word);
          cache.set(word, suggestions);
        }
        const message = file.message(`Unknown word \`${word}\``, { ancestors: [parent, node], place: node.position, ruleId: "spelling", source: SPELLING_SOURCE });
        message.actual = word;
        message.expected = suggestions;
      });
    };
  };
}

/** A compound such as `alpha-bravo` is correct when each part is. */
function isCorrect(speller: Speller, word: string, parts: { type: string; value?: string }[]): boolean {
  if (speller.correct(word)) return true;
  const texts = parts.filter((p) => p.type === "TextNode" && p.value).map((p) => p.value!);
  return texts.length > 1 && texts.every((t) => speller.correct(t));
}

export function suggest(speller: Speller, word: string): string[] {
  if (word.length > MAX_SUGGESTED_LENGTH) return [];
  const lower = word.toLowerCase();
  const capitalized = word[0] !== lower[0];
  const found = new Set<string>();
  for (const candidate of editsOne(lower)) {
    const shaped = capitalized ? candidate[0]!.toUpperCase() + candidate.slice(1) : candidate;
    if (speller.correct(shaped) || speller.correct(candidate)) found.add(shaped);
    if (found.size >= MAX_SUGGESTIONS) break;
  }
  return [...found];
}

/** Candidates one edit away, likeliest kinds of typo first. */
function* editsOne(word: string): Generator<string> {
  for (let i = 0; i < word.length - 1; i++) yield word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  for (let i = 0; i < word.length; i++) for (const c of ALPHABET) if (c !== word[i]) yield word.slice(0, i) + c + word.slice(i + 1);
  for (let i = 0; i < word.length; i++) yield word.slice(0, i) + word.slice(i + 1);
  for (let i = 0; i <= word.length; i++) for (const c of ALPHABET) yield word.slice(0, i) + c + word.slice(i);
}
