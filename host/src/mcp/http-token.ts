// The bearer token `serve --http` requires: any local process can reach a loopback port, and
// the built-in tools grant files and network, so only clients that can read the token (a 0600
// file under $AIRLOCK_HOME, created on first use) may talk to the server.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

export function tokenFile(homeRoot: string): string {
  return join(homeRoot, "http-token");
}

/** The token in `file`, made (random, owner-only) if there is none yet. */
export async function loadOrCreateToken(file: string): Promise<string> {
  try {
    const token = (await readFile(file, "utf8")).trim();
    if (token.length >= 32) return token;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(dirname(file), { recursive: true });
  const token = randomBytes(32).toString("base64url");
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return token;
}

/** Whether an Authorization header carries `token`, compared in constant time. */
export function hasToken(authorization: string | string[] | undefined, token: string): boolean {
  if (typeof authorization !== "string") return false;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) return false;
  const given = Buffer.from(match[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
