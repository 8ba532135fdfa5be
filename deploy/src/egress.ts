// The names a fleet's replicas must reach, read from its deployment file (airlock.yaml), and the
// check that a NetworkPolicy lets them out: NetworkPolicy speaks CIDRs, so the policy carries an
// `airlock/egress-hosts` annotation mapping each name to its CIDRs, and every CIDR there must
// have an egress rule on the name's port.
import { parse } from "yaml";
import type { K8sObject } from "./kustomize.js";

export const EGRESS_ANNOTATION = "airlock/egress-hosts";

export interface DeploymentFile {
  version: number;
  server?: Record<string, unknown> & { allowedHosts?: string[]; tokenFile?: string; trustedKeys?: string[]; signatures?: string; metrics?: { listen?: string } };
  components: Array<{ source: string; tools?: string[]; policy?: unknown }>;
}

/** A name the replicas connect to, the port they use, and why. */
export interface Destination {
  name: string;
  port: number;
  why: string;
}

export function parseDeploymentFile(text: string, where: string): DeploymentFile {
  const file = parse(text) as DeploymentFile | null;
  if (!file || typeof file !== "object") throw new Error(`${where}: not a YAML mapping`);
  if (file.version !== 1) throw new Error(`${where}: version must be 1, not ${JSON.stringify(file.version)}`);
  if (!Array.isArray(file.components) || file.components.length === 0) throw new Error(`${where}: components must list at least one component`);
  return file;
}

/** A component source pinned to its content: oci://...@sha256:<64 hex> or https://...#sha256=<64 hex>. */
export function isPinned(source: string): boolean {
  return /^oci:\/\/[^@\s]+@sha256:[0-9a-f]{64}$/.test(source) || /^https:\/\/[^#\s]+#sha256=[0-9a-f]{64}$/.test(source);
}

/** "name", "*.name" or "name:port" from a network grant; the port defaults to HTTPS's. */
function grantDestination(host: string): { name: string; port: number } {
  const match = /^(\*\.)?([a-z0-9.-]+)(?::(\d+))?$/.exec(host);
  if (!match) throw new Error(`network grant ${JSON.stringify(host)} is not a host name, *.name or name:port`);
  return { name: (match[1] ?? "") + match[2], port: match[3] ? Number(match[3]) : 443 };
}

/**
 * Every destination of a deployment file: the registry (or HTTPS server) of each component, and
 * each host its policy grants. `policyFile` reads a policy given as a path relative to the file.
 */
export function destinations(file: DeploymentFile, policyFile: (path: string) => string): Destination[] {
  const out: Destination[] = [];
  for (const component of file.components) {
    const url = new URL(component.source.replace(/^oci:\/\//, "https://"));
    out.push({ name: url.hostname, port: url.port ? Number(url.port) : 443, why: `the source of ${component.source}` });
    const policy = (typeof component.policy === "string" ? parse(policyFile(component.policy)) : component.policy) as { permissions?: { network?: { allow?: Array<{ host?: string }> } } } | undefined;
    for (const grant of policy?.permissions?.network?.allow ?? []) {
      if (typeof grant.host !== "string") throw new Error(`${component.source}: a network grant without a host`);
      out.push({ ...grantDestination(grant.host), why: `granted to ${component.source}` });
    }
  }
  return out;
}

interface PolicyPort {
  port?: number | string;
  protocol?: string;
}
interface EgressRule {
  to?: Array<{ ipBlock?: { cidr: string } }>;
  ports?: PolicyPort[];
}

/** What is wrong between a deployment file's destinations and a NetworkPolicy's egress; empty when in step. */
export function egressProblems(wanted: Destination[], policy: K8sObject): string[] {
  const problems: string[] = [];
  const text = policy.metadata.annotations?.[EGRESS_ANNOTATION];
  if (!text) return [`NetworkPolicy ${policy.metadata.name} has no ${EGRESS_ANNOTATION} annotation naming the CIDRs of each destination`];
  const declared = parse(text) as Record<string, string[] | string> | null;
  if (!declared || typeof declared !== "object") return [`${EGRESS_ANNOTATION} is not a mapping of names to CIDRs`];
  const rules = ((policy.spec as { egress?: EgressRule[] }).egress ?? []).filter((rule) => rule.to?.some((peer) => peer.ipBlock));
  const allowsCidrOnPort = (cidr: string, port: number) =>
    rules.some((rule) => rule.to?.some((peer) => peer.ipBlock?.cidr === cidr) && (rule.ports === undefined || rule.ports.some((p) => Number(p.port) === port && (p.protocol ?? "TCP") === "TCP")));
  const cidrsOf = (name: string) => {
    const value = declared[name];
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
  };
  for (const destination of wanted) {
    const cidrs = cidrsOf(destination.name);
    if (cidrs.length === 0) {
      problems.push(`${destination.name} (${destination.why}) has no CIDRs in ${EGRESS_ANNOTATION}`);
      continue;
    }
    for (const cidr of cidrs) {
      if (!/^[0-9a-f.:]+\/\d{1,3}$/i.test(cidr)) problems.push(`${destination.name}: ${cidr} is not a CIDR`);
      else if (!allowsCidrOnPort(cidr, destination.port)) problems.push(`${destination.name} (${destination.why}): no egress rule allows ${cidr} on TCP ${destination.port}`);
    }
  }
  const names = new Set(wanted.map((d) => d.name));
  for (const name of Object.keys(declared)) if (!names.has(name)) problems.push(`${EGRESS_ANNOTATION} names ${name}, which the deployment file neither loads from nor grants (stale entry?)`);
  const explained = new Set(Object.keys(declared).flatMap(cidrsOf));
  for (const rule of rules)
    for (const peer of rule.to ?? []) if (peer.ipBlock && !explained.has(peer.ipBlock.cidr)) problems.push(`egress to ${peer.ipBlock.cidr} is not explained by any name in ${EGRESS_ANNOTATION}`);
  return problems;
}
