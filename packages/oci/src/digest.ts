// Content digests: everything pulled is checked against the digest and size it was asked for.
import { createHash } from "node:crypto";
import { OciError } from "./errors.js";

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** Throws unless `bytes` has the expected digest (and size, when given). `what` names the content in the error. */
export function verifyContent(bytes: Uint8Array, expected: { digest: string; size?: number }, what: string): void {
  if (expected.size !== undefined && bytes.length !== expected.size) {
    throw new OciError(
      "SIZE_MISMATCH",
      `${what}: size mismatch: the manifest says ${expected.size} bytes, the registry sent ${bytes.length}: the artifact is corrupt or was tampered with, do not use it`,
    );
  }
  const actual = sha256Digest(bytes);
  if (actual !== expected.digest) {
    throw new OciError("DIGEST_MISMATCH", `${what}: digest mismatch: expected ${expected.digest}, got ${actual}: the content was tampered with or corrupted, do not use it`);
  }
}
