// Registry authentication: anonymous first; on a 401, the challenge says what to do. Basic sends
// the Docker-config credentials; Bearer asks the challenge's realm for a token with the needed
// scope (with the credentials, if any) and reuses it per registry and scope until it expires.
import type { Credentials } from "./docker-config.js";
import { OciError, remoteText } from "./errors.js";
import { DEFAULT_TIMEOUT_MS, readLimited, send, type Fetch } from "./http.js";

/** A token response is a small JSON object: anything longer is refused, not buffered. */
export const MAX_TOKEN_BYTES = 64 * 1024;

export interface Challenge {
  scheme: "basic" | "bearer";
  params: Record<string, string>;
}

/** `Bearer realm="...",service="...",scope="..."` -> { scheme, params }. */
export function parseChallenge(header: string): Challenge | undefined {
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const scheme = match[1]!.toLowerCase();
  if (scheme !== "basic" && scheme !== "bearer") return undefined;
  const params: Record<string, string> = {};
  for (const m of match[2]!.matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) params[m[1]!.toLowerCase()] = (m[2] ?? m[3] ?? "").replace(/\\(.)/g, "$1");
  return { scheme, params };
}

interface CachedToken {
  header: string;
  expires: number;
}

export class Authenticator {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly basic = new Map<string, string>();

  constructor(
    private readonly fetchImpl: Fetch,
    private readonly credentials: (registry: string) => Promise<Credentials | undefined>,
    private readonly configHint: string,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  /** The Authorization header to send first: a cached token or known Basic credentials. */
  cached(registry: string, scope: string): string | undefined {
    const token = this.tokens.get(`${registry}|${scope}`);
    if (token && token.expires > Date.now()) return token.header;
    return this.basic.get(registry);
  }

  /** Answers a 401: returns the header to retry with, or throws a clear auth error. */
  async answer(registry: string, scope: string, response: Response, sent: string | undefined): Promise<string> {
    const challenge = parseChallenge(response.headers.get("www-authenticate") ?? "");
    const creds = await this.credentials(registry);
    if (!challenge) throw this.failed(registry, response.status, "the registry sent no usable WWW-Authenticate challenge");
    if (challenge.scheme === "basic") {
      if (!creds?.username || creds.password === undefined) throw this.failed(registry, response.status, "the registry needs a user name and password and none is configured");
      const header = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString("base64")}`;
      if (sent === header) throw this.failed(registry, response.status, "the registry refused the user name and password");
      this.basic.set(registry, header);
      return header;
    }
    if (sent?.startsWith("Bearer ") && challenge.params.error !== "invalid_token") {
      throw this.failed(registry, response.status, challenge.params.error === "insufficient_scope" ? `the token does not allow ${scope}` : "the registry refused the token");
    }
    const header = await this.fetchToken(registry, challenge.params, scope, creds);
    this.tokens.set(`${registry}|${scope}`, header);
    return header.header;
  }

  private async fetchToken(registry: string, params: Record<string, string>, scope: string, creds: Credentials | undefined): Promise<CachedToken> {
    const realm = params.realm;
    if (!realm || !/^https?:\/\//.test(realm)) throw this.failed(registry, 401, `the token realm ${remoteText(realm ?? "", 200)} is not an http(s) URL`);
    const url = new URL(realm);
    if (creds && url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
      throw this.failed(registry, 401, `refusing to send credentials to the token realm ${url.origin} over plain http`);
    }
    if (params.service) url.searchParams.set("service", params.service);
    url.searchParams.set("scope", scope);
    const headers: Record<string, string> = { accept: "application/json" };
    let request: Parameters<typeof send>[1] = { method: "GET", url: url.href, headers, timeoutMs: this.timeoutMs };
    if (creds?.identityToken) {
      const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: creds.identityToken, service: params.service ?? "", scope, client_id: "airlock" });
      request = { method: "POST", url: realm, headers: { ...headers, "content-type": "application/x-www-form-urlencoded" }, body: Buffer.from(form.toString()), timeoutMs: this.timeoutMs };
    } else if (creds?.username && creds.password !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString("base64")}`;
    }
    const { response } = await send(this.fetchImpl, request);
    if (!response.ok) {
      await response.body?.cancel();
      throw this.failed(registry, response.status, `the token server ${url.host} refused ${creds ? "the credentials" : "anonymous access"}`);
    }
    let bytes: Uint8Array;
    try {
      bytes = await readLimited(response, MAX_TOKEN_BYTES, `the token from ${url.host}`);
    } catch (error) {
      if (error instanceof OciError && error.code === "SIZE_MISMATCH")
        throw this.failed(registry, response.status, `the token server ${url.host} sent more than ${MAX_TOKEN_BYTES} bytes, not a token`);
      throw error;
    }
    const body = parseJson(bytes) as { token?: string; access_token?: string; expires_in?: number };
    const token = body.token ?? body.access_token;
    if (typeof token !== "string" || !/^[\x21-\x7e]+$/.test(token)) throw this.failed(registry, response.status, `the token server ${url.host} sent no token`);
    const lifetime = Math.max(10, (body.expires_in ?? 60) - 10) * 1000;
    return { header: `Bearer ${token}`, expires: Date.now() + lifetime };
  }

  private failed(registry: string, status: number, why: string): OciError {
    return new OciError("AUTH_FAILED", `authentication failed for ${registry} (${status}): ${why}: check the credentials in ${this.configHint} (docker login ${registry})`);
  }
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8")) ?? {};
  } catch {
    return {};
  }
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === "[::1]";
}
