// One error type for everything the OCI client refuses. `code` is for programs, the message for
// people: it names the reference or registry, what was wrong, and what to do.

export type OciErrorCode =
  | "BAD_REFERENCE"
  | "NOT_FOUND"
  | "AUTH_FAILED"
  | "DIGEST_MISMATCH"
  | "SIZE_MISMATCH"
  | "NOT_A_COMPONENT"
  | "BAD_MANIFEST"
  | "UNREACHABLE"
  | "REGISTRY_ERROR"
  | "SIGNATURE_MISSING"
  | "SIGNATURE_INVALID"
  | "UNTRUSTED_KEY"
  | "BAD_KEY";

export class OciError extends Error {
  override name = "OciError";
  constructor(
    readonly code: OciErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
