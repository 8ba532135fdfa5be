// What a failed outgoing request tells the guest: the shim reports Node errors it does not know
// (TLS, temporary DNS failures, unreachable networks) as `internal-error` with Node's text. A
// wasi:http `error-code` case lets a tool say what happened instead of "internal error".
export type HttpErrorCode = { tag: string; val?: unknown };

/** The wasi:http error-code for Node's error text, or undefined to keep the shim's answer. */
export function errorCodeOfNodeError(text: string): HttpErrorCode | undefined {
  const dns = /\b(ENOTFOUND|EAI_AGAIN|EAI_FAIL|EAI_NONAME|ENODATA)\b/.exec(text);
  if (dns) return { tag: "DNS-error", val: { rcode: dns[1], infoCode: undefined } };
  if (/certificate|\bCERT_|self[- ]signed|altnames/i.test(text)) return { tag: "TLS-certificate-error" };
  if (/\bEPROTO\b|\bSSL\b|\bTLS\b|handshake|wrong version number/i.test(text)) return { tag: "TLS-protocol-error" };
  if (/\bETIMEDOUT\b/.test(text)) return { tag: "connection-timeout" };
  if (/\b(EHOSTUNREACH|ENETUNREACH)\b/.test(text)) return { tag: "destination-IP-unroutable" };
  if (/\bECONNRESET\b|socket hang up/i.test(text)) return { tag: "connection-terminated" };
  return undefined;
}

type FutureResult = undefined | { tag: string; val?: { tag: string; val?: unknown } };

/** `future.get()`'s answer with an `internal-error` replaced by the code it stands for. */
export function withPreciseErrorCode(result: FutureResult): FutureResult {
  const inner = result?.tag === "ok" ? result.val : undefined;
  if (inner?.tag !== "err") return result;
  const code = inner.val as HttpErrorCode;
  if (code?.tag !== "internal-error" || typeof code.val !== "string") return result;
  const precise = errorCodeOfNodeError(code.val);
  return precise ? { tag: "ok", val: { tag: "err", val: precise } } : result;
}
