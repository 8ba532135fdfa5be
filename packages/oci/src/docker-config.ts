// Credentials from the standard Docker config: $DOCKER_CONFIG/config.json or
// ~/.docker/config.json, `auths.<registry>.auth` (base64 user:password) or `username`/`password`,
// and `identitytoken` (an OAuth refresh token). Credential helpers are not run.
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { OciError } from "./errors.js";

export interface Credentials {
  username?: string;
  password?: string;
  identityToken?: string;
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG || join(homedir(), ".docker"), "config.json");
}

/** Keys under which a registry may appear in `auths`. */
function candidateKeys(registry: string): string[] {
  const keys = [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v2/`, `https://${registry}/v1/`];
  if (registry === "docker.io" || registry === "registry-1.docker.io") keys.push("https://index.docker.io/v1/");
  return keys;
}

export async function credentialsFor(registry: string, configPath = dockerConfigPath()): Promise<Credentials | undefined> {
  let text: string;
  try {
    text = await readFile(configPath, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw new OciError("AUTH_FAILED", `cannot read the Docker config ${configPath} (${code ?? "unreadable"}): fix its permissions or remove it`);
  }
  let config: { auths?: Record<string, AuthEntry> } | null;
  try {
    config = JSON.parse(text) as typeof config;
  } catch (error) {
    // JSON.parse quotes the text around the mistake, which may be a base64 password: never show it.
    throw new OciError("AUTH_FAILED", `the Docker config ${configPath} is not valid JSON${jsonErrorPlace(error, text)}: fix or remove it`);
  }
  for (const key of candidateKeys(registry)) {
    const entry = config?.auths?.[key];
    if (!entry || typeof entry !== "object") continue;
    if (typeof entry.identitytoken === "string" && entry.identitytoken) return { identityToken: entry.identitytoken };
    if (typeof entry.auth === "string" && entry.auth) {
      const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (typeof entry.username === "string" && typeof entry.password === "string" && entry.username && entry.password) return { username: entry.username, password: entry.password };
  }
  return undefined;
}

/** " (line L, column C)" when the parser says where the mistake is, else nothing: never the text itself. */
function jsonErrorPlace(error: unknown, text: string): string {
  const position = /at position (\d+)/.exec((error as Error).message)?.[1];
  if (position === undefined) return "";
  const before = text.slice(0, Number(position));
  const line = before.split("\n").length;
  return ` (line ${line}, column ${before.length - before.lastIndexOf("\n")})`;
}
