// The tool's logic in plain TypeScript: the unit tests run it natively in Node.
import type { Counts } from "./generated/world.js";

/** A mistake the caller can fix: becomes the WIT error string. */
export class CountError extends Error {
  override name = "CountError";
}

export function countText(text: string): Counts {
  const lines = text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  const words = text.split(/\s+/).filter((word) => word !== "").length;
  return { lines, words, characters: [...text].length };
}
