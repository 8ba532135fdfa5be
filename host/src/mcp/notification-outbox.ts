// Notifications of one call (guest log messages, progress) on their way to the client. A client
// that reads slowly must not make the host buffer without end: while `maxInFlight` are still
// being written, further ones are dropped, and the client is told how many once, as the call ends.
export const MAX_IN_FLIGHT = 64;

type Notification = { method: string; params: Record<string, unknown> };

export class NotificationOutbox {
  private inFlight = 0;
  private dropped = 0;

  constructor(
    private readonly write: (notification: Notification) => Promise<void>,
    private readonly logger: string,
    private readonly maxInFlight = MAX_IN_FLIGHT,
  ) {}

  send(notification: Notification): Promise<void> {
    if (this.inFlight >= this.maxInFlight) {
      this.dropped++;
      return Promise.resolve();
    }
    this.inFlight++;
    return this.write(notification)
      .catch(() => undefined)
      .finally(() => this.inFlight--);
  }

  /** The call ends: says how many notifications were dropped, if any. */
  async finish(): Promise<void> {
    if (this.dropped === 0) return;
    const data = `[${this.dropped} notifications of this call dropped: the client was not reading them fast enough]`;
    this.dropped = 0;
    await this.write({ method: "notifications/message", params: { level: "warning", logger: this.logger, data } }).catch(() => undefined);
  }
}
