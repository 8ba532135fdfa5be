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
  | "TIMED_OUT"
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

/**
 * Text a registry chose (an error message, a header), fit for one line of a terminal or an MCP
 * answer: control characters (ANSI escapes, newlines, carriage returns) and bidi overrides become
 * spaces, the length is capped, and it is quoted so it cannot pass for Airlock's own words.
 */
export function remoteText(text: string, max = 300): string {
  return `"${printable(text, max)}"`;
}

/** `remoteText` without the quotes, for text that is already set apart in a message. */
export function printable(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, " ");
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}
