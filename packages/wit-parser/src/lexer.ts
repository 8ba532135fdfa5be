// Splits WIT text into tokens. Doc comments (`///`, `/** */`) are kept and attached to the next
// token; plain comments are dropped.

export type TokenKind = "id" | "punct" | "version" | "integer" | "eof";

export interface Token {
  kind: TokenKind;
  text: string;
  line: number;
  column: number;
  docs?: string;
}

export class WitSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    readonly file?: string,
  ) {
    super(`${file ?? "<wit>"}:${line}:${column}: ${message}`);
    this.name = "WitSyntaxError";
  }
}

const PUNCT = new Set(["{", "}", "(", ")", "<", ">", ",", ":", ";", "=", ".", "/", "@", "*", "_"]);
const ID_START = /[A-Za-z%]/;
const ID_PART = /[A-Za-z0-9-]/;
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?/;

export function tokenize(source: string, file?: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  let docs: string[] = [];

  const advance = (to: number) => {
    for (let i = pos; i < to; i++) {
      if (source[i] === "\n") {
        line++;
        lineStart = i + 1;
      }
    }
    pos = to;
  };
  const fail = (message: string): never => {
    throw new WitSyntaxError(message, line, pos - lineStart + 1, file);
  };
  const push = (kind: TokenKind, text: string, end: number) => {
    const token: Token = { kind, text, line, column: pos - lineStart + 1 };
    if (docs.length > 0) token.docs = docs.join("\n");
    docs = [];
    tokens.push(token);
    advance(end);
  };

  while (pos < source.length) {
    const ch = source[pos]!;
    if (/\s/.test(ch)) {
      advance(pos + 1);
    } else if (source.startsWith("///", pos) && source[pos + 3] !== "/") {
      const end = lineEnd(source, pos);
      docs.push(stripOneSpace(source.slice(pos + 3, end)));
      advance(end);
    } else if (source.startsWith("//", pos)) {
      advance(lineEnd(source, pos));
    } else if (source.startsWith("/**", pos) && source[pos + 3] !== "/") {
      const end = blockEnd(source, pos, fail);
      docs.push(...blockDocLines(source.slice(pos + 3, end - 2)));
      advance(end);
    } else if (source.startsWith("/*", pos)) {
      advance(blockEnd(source, pos, fail));
    } else if (ID_START.test(ch)) {
      let end = pos + 1;
      while (end < source.length && ID_PART.test(source[end]!)) end++;
      push("id", source.slice(pos, end).replace(/^%/, ""), end);
    } else if (/\d/.test(ch)) {
      const previous = tokens[tokens.length - 1];
      const version = previous?.text === "@" ? VERSION.exec(source.slice(pos)) : null;
      if (version) {
        push("version", version[0], pos + version[0].length);
      } else {
        let end = pos;
        while (end < source.length && /\d/.test(source[end]!)) end++;
        push("integer", source.slice(pos, end), end);
      }
    } else if (source.startsWith("->", pos)) {
      push("punct", "->", pos + 2);
    } else if (PUNCT.has(ch)) {
      push("punct", ch, pos + 1);
    } else {
      fail(`unexpected character ${JSON.stringify(ch)}`);
    }
  }
  tokens.push({ kind: "eof", text: "end of file", line, column: pos - lineStart + 1 });
  return tokens;
}

function lineEnd(source: string, from: number): number {
  const end = source.indexOf("\n", from);
  return end === -1 ? source.length : end;
}

/** Block comments nest in WIT. Returns the index just past the closing `*\/`. */
function blockEnd(source: string, from: number, fail: (message: string) => never): number {
  let depth = 0;
  let i = from;
  while (i < source.length) {
    if (source.startsWith("/*", i)) {
      depth++;
      i += 2;
    } else if (source.startsWith("*/", i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return fail("unterminated block comment: add the closing */");
}

function stripOneSpace(text: string): string {
  return text.startsWith(" ") ? text.slice(1) : text;
}

function blockDocLines(body: string): string[] {
  return body
    .split("\n")
    .map((line) => stripOneSpace(line.replace(/^\s*\*?/, "")).trimEnd())
    .filter((line, index, all) => line !== "" || (index > 0 && index < all.length - 1));
}
