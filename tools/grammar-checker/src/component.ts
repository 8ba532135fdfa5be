// The component's exports. Top-level code runs at build time and is captured in the snapshot,
// so the dictionary is parsed once, not on every call. The export's type comes from
// wit/world.wit (generated into src/generated/ by every build), so tsc checks it against the world.
import aff from "../node_modules/dictionary-en/index.aff";
import dic from "../node_modules/dictionary-en/index.dic";
import { createChecker } from "./checker.js";
import type { Exports } from "./generated/world.js";

const check = createChecker({ aff, dic });

export const checkGrammar: Exports["checkGrammar"] = (text, options) => check(text, options);
