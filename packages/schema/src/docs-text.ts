/**
 * WIT doc comments are wrapped to the width of the source. For a description, join wrapped
 * lines into one and keep blank-line paragraph breaks and list items.
 */
export function unwrapDocs(docs: string): string {
  return docs
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim().replace(/\n(?!\s*(?:[-*]|\d+\.)\s)\s*/g, " "))
    .join("\n\n");
}
