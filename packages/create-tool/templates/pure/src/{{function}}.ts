// The tool's logic in plain TypeScript: the unit tests run it natively in Node. The sample
// measures a text; replace it with what {{name}} does, and the WIT with its interface.
import type { TextSize } from "./generated/world.js";

/** A mistake in the arguments: becomes the WIT error string, which the caller sees. */
export class {{pascalFunction}}Error extends Error {
  override name = "{{pascalFunction}}Error";
}

export function measureText(text: string): TextSize {
  const trimmed = text.trim();
  if (!trimmed) throw new {{pascalFunction}}Error('the text is empty: pass some words, e.g. "Hello, Ada!"');
  return { words: trimmed.split(/\s+/).length, characters: [...trimmed].length };
}
