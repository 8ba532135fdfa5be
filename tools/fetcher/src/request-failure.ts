// Why a request failed, in one line that names the host: a denial, a name that does not
// resolve, a refused connection, a timeout and a TLS failure each call for a different fix.
// `code` is the wasi:http error-code the host answered with.
export type ErrorCode = { tag: string; val?: unknown };

export function describeRequestFailure(url: URL, code: ErrorCode): string {
  const host = url.hostname;
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  switch (code.tag) {
    case "HTTP-request-denied":
      // The host adds the exact grant that would allow it, with the component's id.
      return `${url.href} was not fetched: ${url.host} is not among the hosts this tool may reach`;
    case "DNS-error": {
      const rcode = (code.val as { rcode?: string } | undefined)?.rcode;
      return rcode === "EAI_AGAIN" || rcode === "ETIMEOUT" || rcode === "ECONNREFUSED"
        ? `${host} could not be resolved: the DNS server did not answer (${rcode}); try again later`
        : `${host} could not be resolved: no such host name${rcode ? ` (${rcode})` : ""}; check the spelling of the URL`;
    }
    case "connection-refused":
      return `${host} refused the connection on port ${port}: nothing is listening there, or a firewall rejects it`;
    case "connection-timeout":
    case "connection-read-timeout":
      return `${host} did not answer in time (${code.tag}): the server is down, overloaded or unreachable from here`;
    case "destination-unavailable":
    case "destination-IP-unroutable":
    case "destination-not-found":
      return `${host} cannot be reached from here: no route to its address (${code.tag})`;
    case "TLS-certificate-error":
      return `the TLS certificate of ${host} was not accepted: it is self-signed, expired or issued for another name`;
    case "TLS-protocol-error":
    case "TLS-alert-received":
      return `the TLS handshake with ${host} failed (${code.tag}): the server may not speak HTTPS on port ${port}`;
    case "connection-terminated":
    case "connection-limit-reached":
      return `${host} closed the connection before answering (${code.tag})`;
    case "HTTP-request-URI-invalid":
      return `${url.href} is not a URL the host can request`;
    default:
      return `the request to ${host} failed: ${code.tag}${typeof code.val === "string" ? ` (${code.val})` : ""}`;
  }
}
