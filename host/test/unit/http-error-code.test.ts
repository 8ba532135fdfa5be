// Node's error text, as the WASI shim reports it, becomes the wasi:http error code it stands for.
import { describe, expect, it } from "vitest";
import { errorCodeOfNodeError, withPreciseErrorCode } from "../../src/executor/sandbox/http-error-code.js";

describe("errorCodeOfNodeError", () => {
  it.each([
    ["Error: getaddrinfo EAI_AGAIN example.com", { tag: "DNS-error", val: { rcode: "EAI_AGAIN", infoCode: undefined } }],
    ["Error: getaddrinfo ENOTFOUND nope.invalid", { tag: "DNS-error", val: { rcode: "ENOTFOUND", infoCode: undefined } }],
    ["Error: self-signed certificate", { tag: "TLS-certificate-error" }],
    ["Error: certificate has expired", { tag: "TLS-certificate-error" }],
    ["Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames", { tag: "TLS-certificate-error" }],
    ["Error: write EPROTO 00A8:error:0A00010B:SSL routines:ssl3_get_record:wrong version number", { tag: "TLS-protocol-error" }],
    ["Error: connect ETIMEDOUT 10.1.2.3:443", { tag: "connection-timeout" }],
    ["Error: connect EHOSTUNREACH 10.1.2.3:80", { tag: "destination-IP-unroutable" }],
    ["Error: socket hang up", { tag: "connection-terminated" }],
  ])("%s", (text, code) => {
    expect(errorCodeOfNodeError(text)).toEqual(code);
  });

  it("keeps what it does not recognize", () => {
    expect(errorCodeOfNodeError("Error: something new")).toBeUndefined();
    const unknown = { tag: "ok", val: { tag: "err", val: { tag: "internal-error", val: "Error: something new" } } };
    expect(withPreciseErrorCode(unknown)).toBe(unknown);
    const ok = { tag: "ok", val: { tag: "ok", val: {} } };
    expect(withPreciseErrorCode(ok)).toBe(ok);
    expect(withPreciseErrorCode(undefined)).toBeUndefined();
  });
});
