// Where a granted host name may lead: a pure decision on the addresses it resolves to. A name is
// granted for the public service it names; if its DNS answer points into this machine (loopback),
// the local network (private ranges), or link-local space (where cloud metadata services answer,
// 169.254.169.254), the request is refused, unless the policy allows private addresses or the
// grant names the address (or localhost) itself.
import { BlockList, isIP } from "node:net";

const RANGES: { kind: string; v4?: [string, number][]; v6?: [string, number][] }[] = [
  { kind: "loopback", v4: [["127.0.0.0", 8]], v6: [["::1", 128]] },
  { kind: "unspecified", v4: [["0.0.0.0", 8]], v6: [["::", 128]] },
  { kind: "cloud metadata", v4: [["169.254.169.254", 32]], v6: [["fd00:ec2::254", 128]] },
  { kind: "link-local", v4: [["169.254.0.0", 16]], v6: [["fe80::", 10]] },
  {
    kind: "private",
    v4: [
      ["10.0.0.0", 8],
      ["172.16.0.0", 12],
      ["192.168.0.0", 16],
      ["100.64.0.0", 10],
      ["198.18.0.0", 15],
      ["192.0.0.0", 24],
    ],
    v6: [
      ["fc00::", 7],
      ["fec0::", 10],
    ],
  },
  {
    kind: "multicast or broadcast",
    v4: [
      ["224.0.0.0", 4],
      ["255.255.255.255", 32],
    ],
    v6: [["ff00::", 8]],
  },
  { kind: "reserved", v4: [["240.0.0.0", 4]] },
  { kind: "IPv4-compatible", v6: [["::", 96]] },
  { kind: "NAT64", v6: [["64:ff9b::", 96]] },
];
// IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) need no range of their own: BlockList checks
// them against the IPv4 ranges.

const LISTS = RANGES.map(({ kind, v4 = [], v6 = [] }) => {
  const list = new BlockList();
  for (const [network, prefix] of v4) list.addSubnet(network, prefix, "ipv4");
  for (const [network, prefix] of v6) list.addSubnet(network, prefix, "ipv6");
  return { kind, list };
});

/** What kind of non-public address `address` is (`loopback`, `private`, ...), or undefined. */
export function addressRisk(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return "unparsable";
  const type = family === 4 ? "ipv4" : "ipv6";
  return LISTS.find(({ list }) => list.check(address, type))?.kind;
}

/** Whether a granted host names an address (or localhost) itself: then no resolution is checked. */
export function namesAddress(host: string): boolean {
  const bare = host
    .replace(/:\d+$/, "")
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "");
  return isIP(bare) !== 0 || bare === "localhost" || bare.endsWith(".localhost");
}

/** Why a request to `host` (which resolved to `addresses`) is refused, or undefined. */
export function resolvedAddressProblem(host: string, addresses: string[]): string | undefined {
  if (addresses.length === 0) return `${host} could not be resolved, so where it leads could not be checked`;
  for (const address of addresses) {
    const risk = addressRisk(address);
    if (risk) {
      return (
        `${host} resolves to ${address}, a ${risk} address: a granted name may not lead into this machine or its private network. ` +
        `Grant the address itself if that is meant, or set allow_private: true under permissions.network in the component's policy`
      );
    }
  }
  return undefined;
}
