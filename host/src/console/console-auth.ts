// Who may use the console: whoever opened the login URL `airlock serve --http` printed on stderr
// (like a notebook server's). Its one-time code is exchanged for an HttpOnly, SameSite=Strict
// session cookie; once a code is used a fresh one is printed, so a second browser can log in.
// Every state-changing request must also come from this server's own page (its Origin) and carry
// the session's CSRF token, which only a page of this origin can read.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const SESSION_COOKIE = "airlock_console";
export const CSRF_HEADER = "x-airlock-csrf";
/** A session lasts this long after login; then the user logs in again with a fresh code. */
const SESSION_TTL_MS = 12 * 60 * 60_000;
/** Sessions kept at once; the oldest is dropped to make room. */
const MAX_SESSIONS = 64;

interface Session {
  csrf: string;
  expires: number;
}

export class ConsoleAuth {
  private code = newSecret();
  private readonly sessions = new Map<string, Session>();
  private baseUrl: string | undefined;

  /** `announce` prints a login URL (serve.ts sends it to stderr). */
  constructor(private readonly announce: (loginUrl: string) => void) {}

  /** Called once the server listens: prints the first login URL. */
  listening(baseUrl: string): void {
    this.baseUrl = baseUrl;
    this.announce(this.loginUrl());
  }

  loginUrl(): string {
    return `${this.baseUrl ?? ""}/console/login?code=${this.code}`;
  }

  /** Exchanges the current code for a new session id; undefined if the code is wrong or used. */
  login(code: unknown): string | undefined {
    if (typeof code !== "string" || !sameSecret(code, this.code)) return undefined;
    this.code = newSecret();
    if (this.baseUrl !== undefined) this.announce(this.loginUrl());
    const id = newSecret();
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    this.sessions.set(id, { csrf: newSecret(), expires: Date.now() + SESSION_TTL_MS });
    return id;
  }

  /** The session a request's cookie names, if it is live. */
  session(req: IncomingMessage): Session | undefined {
    const id = cookie(req.headers.cookie, SESSION_COOKIE);
    if (id === undefined) return undefined;
    for (const [key, session] of this.sessions) {
      if (!sameSecret(id, key)) continue;
      if (session.expires > Date.now()) return session;
      this.sessions.delete(key);
    }
    return undefined;
  }

  /** The Set-Cookie value for a new session: never readable by scripts, never sent cross-site. */
  static cookieFor(id: string): string {
    return `${SESSION_COOKIE}=${id}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${SESSION_TTL_MS / 1000}`;
  }

  /** Whether a state-changing request carries the session's CSRF token. */
  static hasCsrf(req: IncomingMessage, session: Session): boolean {
    const sent = req.headers[CSRF_HEADER];
    return typeof sent === "string" && sameSecret(sent, session.csrf);
  }
}

function newSecret(): string {
  return randomBytes(24).toString("base64url");
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}
