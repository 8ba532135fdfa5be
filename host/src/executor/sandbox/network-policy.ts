// Which outgoing HTTP requests a component may send: a pure function of the request's scheme and
// authority and the granted hosts. Only exact names (or `*.name` for subdomains) match; the port
// must be the scheme's default unless the grant names it. Authority tricks are refused, not
// normalised into a match: credentials (`user@host`), percent-encoding, IP literals that were not
// granted literally. A request allowed by a granted name says so (`resolve`): address-policy.ts
// then decides on the addresses the name resolves to.
import { namesAddress } from "./address-policy.js";

export interface NetworkCheck {
  allowed: boolean;
  /** `host` or `host:port`, lowercased, as shown to the user. */
  target: string;
  reason?: string;
  /** The grant that would allow the request, when one could. */
  suggestedGrant?: string;
  /** Allowed by a granted name (not an address): where it resolves must still be checked. */
  resolve?: string;
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443 };

export function checkRequest(scheme: string, authority: string | undefined, granted: string[]): NetworkCheck {
  const lowerScheme = scheme.toLowerCase();
  const target = (authority ?? "").toLowerCase();
  const defaultPort = DEFAULT_PORTS[lowerScheme];
  if (defaultPort === undefined) return { allowed: false, target, reason: `the scheme "${scheme}" is not allowed (only http and https)` };
  if (!authority) return { allowed: false, target: "(none)", reason: "the request names no host" };
  if (authority.includes("@")) return { allowed: false, target, reason: "credentials in the URL authority (user@host) are not allowed" };
  if (/[%\s\\]/.test(authority)) return { allowed: false, target, reason: "the host contains characters a host name cannot have" };
  const parsed = splitAuthority(target);
  if (!parsed) return { allowed: false, target, reason: "the authority is not a valid host[:port]" };
  const host = parsed.host.replace(/\.$/, "");
  const port = parsed.port ?? defaultPort;
  const shown = port === defaultPort ? host : `${host}:${port}`;
  for (const grant of granted) {
    const g = splitAuthority(grant.toLowerCase());
    if (!g) continue;
    const grantPort = g.port ?? defaultPort;
    if (grantPort !== port) continue;
    const byName = namesAddress(host) ? {} : { resolve: host };
    if (g.host.startsWith("*.")) {
      const suffix = g.host.slice(1);
      if (host.endsWith(suffix) && host.length > suffix.length && !isIpLiteral(host)) return { allowed: true, target: shown, ...byName };
    } else if (g.host === host) {
      return { allowed: true, target: shown, ...byName };
    }
  }
  return { allowed: false, target: shown, reason: `${shown} is not a granted host`, suggestedGrant: shown };
}

function splitAuthority(authority: string): { host: string; port?: number } | undefined {
  const ipv6 = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(authority);
  if (ipv6) return { host: `[${ipv6[1]}]`, ...(ipv6[2] ? { port: Number(ipv6[2]) } : {}) };
  const match = /^([^:[\]]+)(?::(\d{1,5}))?$/.exec(authority);
  if (!match) return undefined;
  return { host: match[1]!, ...(match[2] ? { port: Number(match[2]) } : {}) };
}

function isIpLiteral(host: string): boolean {
  return host.startsWith("[") || /^[0-9.]+$/.test(host) || /^0x/i.test(host);
}
