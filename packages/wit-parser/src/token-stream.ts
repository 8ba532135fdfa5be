// Token-level reading for the WIT parser: look ahead, consume, expect, and fail with the file,
// line and column of the token at fault.
import { WitSyntaxError, type Token } from "./lexer.js";

export class TokenStream {
  private index = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly file?: string,
  ) {}

  protected skipGates(): void {
    while (this.peekIs("@")) {
      this.next();
      this.id();
      if (this.peekIs("(")) this.skipBalanced("(", ")");
    }
  }

  protected skipBalanced(open: string, close: string): void {
    this.expect(open);
    let depth = 1;
    while (depth > 0) {
      const token = this.next();
      if (token.kind === "eof") this.fail(token, `expected \`${close}\``);
      if (token.text === open) depth++;
      else if (token.text === close) depth--;
    }
  }

  protected id(): string {
    return this.expectKind("id").text;
  }

  protected expectKind(kind: Token["kind"]): Token {
    const token = this.next();
    if (token.kind !== kind) this.fail(token, `expected ${kind === "id" ? "a name" : `a ${kind}`}`);
    return token;
  }

  protected expect(text: string): Token {
    const token = this.next();
    if (token.text !== text || token.kind === "eof") this.fail(token, `expected \`${text}\``);
    return token;
  }

  protected eat(text: string): boolean {
    if (this.peek().text === text && this.peek().kind !== "eof") {
      this.index++;
      return true;
    }
    return false;
  }

  protected peekIs(text: string): boolean {
    const token = this.peek();
    return text === "eof" ? token.kind === "eof" : token.kind !== "eof" && token.text === text;
  }

  protected peek(): Token {
    return this.peekAt(0);
  }

  protected peekAt(offset: number): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }

  protected next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }

  protected fail(token: Token, message: string): never {
    const found = token.kind === "eof" ? "end of file" : `\`${token.text}\``;
    throw new WitSyntaxError(`${message}, found ${found}`, token.line, token.column, this.file);
  }
}
