// Whether a replica serves everything its deployment file names, for /readyz. The probe needs no
// token, so its answer says how many components wait and why, never which (ids, sources, grants
// and errors are in the replica's log).
export interface ReadinessState {
  /** The file could not be applied at all (yet). */
  unapplied?: boolean;
  total: number;
  /** Components that could not be fetched, verified or started. */
  failed: string[];
  /** Components fetched and verified, being compiled and started. */
  starting: string[];
}

export class Readiness {
  private state: ReadinessState = { unapplied: true, total: 0, failed: [], starting: [] };

  get ready(): boolean {
    return !this.state.unapplied && this.state.failed.length === 0 && this.state.starting.length === 0;
  }

  set(state: ReadinessState): void {
    this.state = { ...state, failed: [...state.failed], starting: [...state.starting] };
  }

  /** The /readyz body. */
  text(): string {
    if (this.ready) return "ready\n";
    if (this.state.unapplied) return "not ready: the deployment file is not applied yet (the replica's log says why)\n";
    const { total, failed, starting } = this.state;
    const parts = [...(failed.length > 0 ? [`${failed.length} of ${total} component(s) failed`] : []), ...(starting.length > 0 ? [`${starting.length} of ${total} starting`] : [])];
    return `not ready: ${parts.join(", ")} (the replica's log names them)\n`;
  }
}
