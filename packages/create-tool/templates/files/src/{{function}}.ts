// The tool's logic in plain TypeScript: the unit tests run it natively in Node. The sample counts
// a text file; replace it with what {{name}} does, and the WIT with its interface.
import type { Counts } from "./generated/world.js";

/** A mistake the caller can fix: becomes the WIT error string. */
export class {{pascalFunction}}Error extends Error {
  override name = "{{pascalFunction}}Error";
}

export function countText(text: string): Counts {
  const lines = text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  const words = text.split(/\s+/).filter((word) => word !== "").length;
  return { lines, words, characters: [...text].length };
}
