// `oci://<registry>/<repository>:<tag>` or `oci://<registry>/<repository>@sha256:<hex>`: parsed
// strictly, so a typo is an error that shows the expected shape, never a request elsewhere.
import { OciError } from "./errors.js";

export interface Reference {
  /** host[:port], as given. */
  registry: string;
  repository: string;
  tag?: string;
  /** `sha256:<64 hex>` when the reference pins a digest. */
  digest?: string;
}

const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const REGISTRY = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9a-fA-F:]+\])(?::[0-9]{1,5})?$/;
const EXAMPLE = "oci://ghcr.io/org/tool:1.0 or oci://ghcr.io/org/tool@sha256:<64 hex digits>";

export function parseReference(text: string): Reference {
  const fail = (what: string): never => {
    throw new OciError("BAD_REFERENCE", `${text}: ${what}: write it as ${EXAMPLE}`);
  };
  if (!text.startsWith("oci://")) fail("not an oci:// reference");
  const rest = text.slice("oci://".length);
  const slash = rest.indexOf("/");
  if (slash <= 0) fail("no registry host before the repository");
  const registry = rest.slice(0, slash);
  if (!REGISTRY.test(registry)) fail(`"${registry}" is not a registry host[:port]`);
  let path = rest.slice(slash + 1);
  let digest: string | undefined;
  let tag: string | undefined;
  const at = path.indexOf("@");
  if (at !== -1) {
    digest = path.slice(at + 1);
    path = path.slice(0, at);
    if (!DIGEST.test(digest)) fail(`"${digest}" is not a sha256:<64 lowercase hex> digest`);
  }
  const colon = path.lastIndexOf(":");
  if (colon !== -1) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!TAG.test(tag)) fail(`"${tag}" is not a valid tag`);
  }
  if (!REPOSITORY.test(path)) fail(`"${path}" is not a repository name (lowercase letters, digits, separators, "/")`);
  if (!tag && !digest) fail("no tag or digest");
  return { registry, repository: path, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

export function formatReference(ref: Reference): string {
  return `oci://${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ""}${ref.digest ? `@${ref.digest}` : ""}`;
}

/** What to ask the registry for: the digest when pinned (a tag could have moved), else the tag. */
export function manifestSelector(ref: Reference): string {
  return ref.digest ?? ref.tag!;
}

export function isDigest(text: string): boolean {
  return DIGEST.test(text);
}
