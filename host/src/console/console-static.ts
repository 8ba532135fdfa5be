// The console's page: the static files @airlock/console built (index.html and hashed assets),
// read once into memory, with the headers that keep it the only code running on the page.
import { createRequire } from "node:module";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, join, relative, sep } from "node:path";
import type { Response } from "express";

/** No inline script or style, nothing from another origin, no framing, no plugins. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Headers on every console response, pages and API alike. */
export function setSecurityHeaders(res: Response): void {
  res.setHeader("content-security-policy", CONTENT_SECURITY_POLICY);
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("x-frame-options", "DENY");
  res.setHeader("referrer-policy", "no-referrer");
  res.setHeader("cross-origin-opener-policy", "same-origin");
  res.setHeader("cross-origin-resource-policy", "same-origin");
  res.setHeader("permissions-policy", "camera=(), microphone=(), geolocation=()");
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
};

export interface StaticFile {
  type: string;
  body: Buffer;
}

/** The built console, by URL path under /console/ ("index.html", "assets/index-abc123.js"). */
export function loadConsoleFiles(dir = consoleDist()): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path).split(sep).join("/"), { type: TYPES[extname(name)] ?? "application/octet-stream", body: readFileSync(path) });
    }
  };
  walk(dir);
  if (!files.has("index.html")) throw new Error(`the console is not built: ${dir} has no index.html (run pnpm exec turbo run build)`);
  return files;
}

function consoleDist(): string {
  return join(dirname(createRequire(import.meta.url).resolve("@airlock/console/package.json")), "dist");
}
