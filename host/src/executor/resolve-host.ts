// On the host's thread: the addresses a host name resolves to, for the address check of a guest's
// HTTP request. By default the system's resolver (getaddrinfo, /etc/hosts included), as the
// connection itself uses; AIRLOCK_DNS_SERVERS=ip[:port],... asks those DNS servers instead (a
// split-horizon setup, or a test's own server).
import { lookup, Resolver } from "node:dns/promises";

export function hostResolver(servers: string | undefined): (host: string) => Promise<string[]> {
  if (!servers) return async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  const resolver = new Resolver({ timeout: 2000, tries: 2 });
  resolver.setServers(
    servers
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
  return async (host) => {
    const answers = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
    const addresses = answers.flatMap((a) => (a.status === "fulfilled" ? a.value : []));
    // No address at all: say why, as getaddrinfo would (ENOTFOUND for a name that does not exist).
    const failures = answers.flatMap((a) => (a.status === "rejected" ? [a.reason as NodeJS.ErrnoException] : []));
    if (addresses.length === 0 && failures.length > 0) throw failures.find((e) => e.code !== "ENODATA") ?? failures[0];
    return addresses;
  };
}
