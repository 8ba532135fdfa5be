// The component's exports. Top-level code runs at build time and is captured in the snapshot,
// so the dictionary is parsed once, not on every call.
import aff from "../node_modules/dictionary-en/index.aff";
import dic from "../node_modules/dictionary-en/index.dic";
import { createChecker, type CheckOptions, type Issue } from "./checker.js";

const check = createChecker({ aff, dic });

export function checkGrammar(text: string, options?: CheckOptions): Issue[] {
  return check(text, options);
}
