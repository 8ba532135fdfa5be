// A self-signed certificate for 127.0.0.1, made by openssl for a test's https server.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

/** Writes key.pem and cert.pem into `dir`; `extra` adds openssl req options (e.g. a subjectAltName). */
export function selfSignedCertificate(dir: string, extra: string[] = []): { key: string; cert: string } {
  const key = join(dir, "key.pem");
  const cert = join(dir, "cert.pem");
  const args = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1", ...extra];
  execFileSync("openssl", args, { stdio: "ignore" });
  return { key, cert };
}
