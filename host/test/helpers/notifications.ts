// Notifications a test client received, and a wait for the next one that matches: the wait ends
// when the notification arrives (the timeout only turns a missing one into a readable failure).
export class Received<T> {
  readonly items: T[] = [];
  private readonly waiters: { match: (item: T) => boolean; resolve: (item: T) => void }[] = [];

  /** Pass this as the client's notification handler. */
  readonly add = (item: T): void => {
    this.items.push(item);
    for (const waiter of [...this.waiters]) {
      if (!waiter.match(item)) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(item);
    }
  };

  /** The first item from now on that matches; `from` also counts items already received from that index. */
  next(match: (item: T) => boolean = () => true, what = "notification", timeoutMs = 30_000, from = this.items.length): Promise<T> {
    const seen = this.items.slice(from).find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (item) => {
          clearTimeout(timer);
          resolve(item);
        },
      });
    });
  }
}

/**
 * A fetch for an SDK HTTP client that tells when the session's GET stream is open: the server
 * sends notifications that belong to no request only on that stream, and drops them before it.
 */
export function watchingGetStream(): { fetch: typeof fetch; open: Promise<void> } {
  let opened!: () => void;
  const open = new Promise<void>((resolve) => (opened = resolve));
  const watching: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if ((init?.method ?? "GET") === "GET" && response.ok) opened();
    return response;
  };
  return { fetch: watching, open };
}
