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
  let config: { auths?: Record<string, AuthEntry> };
  try {
    config = JSON.parse(await readFile(configPath, "utf8")) as typeof config;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new OciError("AUTH_FAILED", `cannot read the Docker config ${configPath}: ${(error as Error).message}: fix or remove it`, { cause: error });
  }
  for (const key of candidateKeys(registry)) {
    const entry = config.auths?.[key];
    if (!entry) continue;
    if (entry.identitytoken) return { identityToken: entry.identitytoken };
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (entry.username && entry.password) return { username: entry.username, password: entry.password };
  }
  return undefined;
}
