// The console's API client: same-origin requests with the session cookie; every change carries
// the CSRF token the session gave. Errors carry the server's own message.
export interface Tool {
  name: string;
  description: string;
  inputSchema: Schema;
}

export interface Schema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  default?: unknown;
}

export interface Component {
  id: string;
  source: string;
  sha256: string;
  digest?: string;
  signature: { verified: boolean; signer?: string };
  version: string | null;
  size: number;
  loadedAt: string;
  imports: string[];
  requests: boolean;
  tools: Tool[];
  resources: { uri?: string; uriTemplate?: string; name: string; description?: string }[];
  prompts: { name: string; description?: string }[];
}

export interface Grants {
  storage: { path: string; write: boolean }[];
  network: string[];
  privateNetwork: boolean;
  environment: string[];
}

export interface PolicyView {
  component: string;
  yaml: string;
  granted: Grants;
  limits: { memory?: string; timeout?: string };
  requested?: Grants;
  diff?: { missing: string[]; extra: string[] };
  managedBy: string | null;
}

export interface GrantChange {
  component: string;
  action: "grant" | "revoke";
  kind: "storage" | "network" | "environment";
  target: string;
  access?: ("read" | "write")[];
}

export interface AuditEntry {
  time: string;
  component: string;
  tool: string;
  callId: string;
  kind: "file" | "network" | "environment";
  target: string;
  mode: string;
  allowed: boolean;
  reason?: string;
  count?: number;
  grant?: { kind: "storage"; path: string; access: ("read" | "write")[] } | { kind: "network"; host: string };
}

export interface CallRecord {
  time: string;
  component?: string;
  tool: string;
  callId: string;
  outcome: string;
  durationMs: number;
  denied: number;
}

export interface CallResult {
  result: { content: { type: string; text?: string; mimeType?: string }[]; structuredContent?: unknown; isError?: boolean; _meta?: Record<string, unknown> };
  durationMs: number;
}

let csrf = "";

async function parse<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({ error: `${response.status} ${response.statusText}` }))) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

export async function getJson<T>(path: string): Promise<T> {
  return parse<T>(await fetch(path, { credentials: "same-origin", headers: { accept: "application/json" } }));
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  if (!csrf) csrf = (await getJson<{ csrf: string }>("api/session")).csrf;
  return parse<T>(
    await fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { accept: "application/json", "content-type": "application/json", "x-airlock-csrf": csrf },
      body: JSON.stringify(body),
    }),
  );
}

/** A grant suggested by a denial, as a change to confirm. */
export function changeOfGrant(component: string, grant: NonNullable<AuditEntry["grant"]>): GrantChange {
  return grant.kind === "network" ? { component, action: "grant", kind: "network", target: grant.host } : { component, action: "grant", kind: "storage", target: grant.path, access: grant.access };
}

export function describeChange(change: GrantChange): string {
  const what =
    change.kind === "storage"
      ? `directory ${change.target}${change.action === "grant" ? ` (${(change.access ?? ["read"]).join(", ")})` : ""}`
      : change.kind === "network"
        ? `network host ${change.target}`
        : `environment variable ${change.target}`;
  return `${change.action === "grant" ? "Grant" : "Revoke"} ${change.component}: ${what}`;
}
