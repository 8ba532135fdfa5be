/** A build failure a tool author can fix: what went wrong, where, and what to do. */
export class BuildError extends Error {
  override name = "BuildError";
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }

  format(): string {
    return this.hint ? `${this.message}\n  hint: ${this.hint}` : this.message;
  }
}
