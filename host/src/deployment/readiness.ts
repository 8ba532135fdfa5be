// Whether a replica serves everything its deployment file names, for /readyz. The answer names
// components and what they wait for, never their sources, grants or errors in full (those go to
// the replica's log): the probe needs no token.
export class Readiness {
  private waiting: string[] = ["the deployment file is being applied"];

  get ready(): boolean {
    return this.waiting.length === 0;
  }

  /** What keeps the replica unready; empty: ready. */
  set(waiting: string[]): void {
    this.waiting = [...waiting];
  }

  /** The /readyz body. */
  text(): string {
    return this.ready ? "ready\n" : `not ready: ${this.waiting.join("; ")}\n`;
  }
}
