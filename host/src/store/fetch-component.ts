// Where a component's bytes come from: a local file, an OCI registry (oci://, through the
// content-addressed cache under $AIRLOCK_HOME/cache/oci, with signature checks), or an https://
// URL pinned to a digest (#sha256=<hex>). Registry errors become one-line user errors.
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { BlobCache, OciError, RegistryClient, parseReference, pullComponent, readLimited, send, sha256Digest, verifyContent } from "@airlock/oci";
import { UserError } from "../errors.js";
import { parsePolicy } from "../policy/policy-store.js";
import type { Policy } from "../policy/policy.js";
import { ComponentStore } from "./component-store.js";
import { TrustStore } from "./trust-settings.js";

export interface FetchedComponent {
  id: string;
  bytes: Uint8Array;
  /** The reference as given (file:// URL for local files). */
  source: string;
  /** What the reference resolved to: the manifest digest for oci://, the file digest for https://. */
  digest?: string;
  /** Permissions the publisher asks for, from a policy layer: shown, never granted. */
  requested?: Policy;
  signedBy?: string;
}

const MAX_HTTPS_BYTES = 512 * 1024 * 1024;
/** The whole https:// download, body included (the size is unknown until it arrives). */
const HTTPS_TIMEOUT_MS = 10 * 60_000;

export const ociCacheDir = (homeRoot: string) => join(homeRoot, "cache", "oci");
export const trustStore = (homeRoot: string) => new TrustStore(join(homeRoot, "trust"));

/** `./x.wasm`, `/abs/x.wasm` or `file:///abs/x.wasm` -> an absolute path. */
export function localPath(uri: string): string {
  if (uri.startsWith("file://")) return fileURLToPath(uri);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) throw new UserError(`cannot load ${uri}: use a path, file://, oci://registry/repo:tag or https://...#sha256=<hex>`);
  return resolve(uri);
}

export interface FetchOptions {
  /** The model asked for it (the load-component tool), not the user at the CLI. */
  viaMcp?: boolean;
}

export async function fetchComponent(uri: string, homeRoot: string, options: FetchOptions = {}): Promise<FetchedComponent> {
  // With signatures required, the model (perhaps prompt-injected) may only pick signed oci://
  // components; files and pinned https:// URLs remain the user's own choice at the CLI.
  if (options.viaMcp && !uri.startsWith("oci://") && (await trustStore(homeRoot).signaturePolicy()) === "required") {
    throw new UserError(`${uri}: signatures are required: only signed oci:// components can be loaded through MCP; load local files with the airlock CLI (airlock load)`);
  }
  try {
    if (uri.startsWith("oci://")) return await fromRegistry(uri, homeRoot);
    if (uri.startsWith("https://") || uri.startsWith("http://")) return await fromHttps(uri, homeRoot);
  } catch (error) {
    if (error instanceof OciError) throw new UserError(error.message, { cause: error });
    throw error;
  }
  const path = localPath(uri);
  try {
    return { id: ComponentStore.idFromFile(path), bytes: await readFile(path), source: pathToFileURL(path).href };
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
}

async function fromRegistry(uri: string, homeRoot: string): Promise<FetchedComponent> {
  const ref = parseReference(uri);
  const id = ref.repository.split("/").pop()!;
  if (!ComponentStore.isValidId(id)) throw new UserError(`${uri}: "${id}" cannot be a component id: use a repository whose last segment is lowercase letters, digits, ".", "_" or "-"`);
  const pulled = await pullComponent(new RegistryClient(), ref, { cache: new BlobCache(ociCacheDir(homeRoot)), trust: await trustStore(homeRoot).settings() });
  const requested = pulled.policy === undefined ? undefined : parsePolicy(pulled.policy, `${uri} (the publisher's policy layer)`);
  return { id, bytes: pulled.component, source: uri, digest: pulled.digest, ...(requested ? { requested } : {}), ...(pulled.signedBy ? { signedBy: pulled.signedBy } : {}) };
}

async function fromHttps(uri: string, homeRoot: string): Promise<FetchedComponent> {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new UserError(`${uri}: not a valid URL: write it as https://host/path/tool.wasm#sha256=<hex of the file>`);
  }
  const pin = /^#sha256[=:]([a-f0-9]{64})$/.exec(url.hash)?.[1];
  if (url.protocol !== "https:" || !pin) {
    throw new UserError(`${uri}: web URLs load only over https and pinned to a digest: https://host/path/tool.wasm#sha256=<hex of the file> (sha256sum tool.wasm)`);
  }
  const digest = `sha256:${pin}`;
  let fileName: string;
  try {
    fileName = decodeURIComponent(url.pathname.split("/").pop() ?? "");
  } catch {
    throw new UserError(`${uri}: the file name in the URL has a malformed %-escape: write it as https://host/path/tool.wasm#sha256=<hex of the file>, with "%" followed by two hex digits`);
  }
  const id = ComponentStore.idFromFile(fileName);
  const cache = new BlobCache(ociCacheDir(homeRoot));
  let bytes = await cache.get(digest);
  if (!bytes) {
    url.hash = "";
    const { response } = await send(fetch, { method: "GET", url: url.href, headers: {}, timeoutMs: HTTPS_TIMEOUT_MS });
    if (!response.ok) throw new UserError(`${uri}: the server answered ${response.status}: check the URL`);
    const body = await readLimited(response, MAX_HTTPS_BYTES, uri);
    verifyContent(body, { digest }, uri);
    bytes = body;
    await cache.put(sha256Digest(bytes), bytes);
  }
  return { id, bytes, source: uri, digest };
}
