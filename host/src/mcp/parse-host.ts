// A Host header or --allowed-host value, checked and normalised: apart from the HTTP server, so
// that `serve` checks its flags without importing express (stdio never needs it).
/** `name`, `name:port`, `1.2.3.4:port` or `[::1]:port`, with the name normalised; else undefined. */
export function parseHost(value: string): { hostname: string; port: string } | undefined {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)(?::(\d{1,5}))?$/.exec(value);
  if (!match || Number(match[2] ?? 0) > 65535) return undefined;
  try {
    return { hostname: new URL(`http://${match[1]}`).hostname, port: match[2] ?? "" };
  } catch {
    return undefined;
  }
}
