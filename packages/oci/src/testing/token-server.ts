// A small token server for the Bearer flow, like the ones behind ghcr.io and Docker Hub: it
// checks Basic credentials and issues RS256 JWTs carrying its certificate in `x5c`, with the
// requested repository scope. It counts token requests, to test token reuse.
import { execFileSync } from "node:child_process";
import { createPrivateKey, randomUUID, sign, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";

export interface TokenServer {
  url: string;
  certFile: string;
  /** Every scope asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export interface Account {
  user: string;
  password: string;
  /** Actions this account may be granted; default: whatever it asks for. */
  actions?: string[];
}

export async function startTokenServer(dir: string, accounts: Account[]): Promise<TokenServer> {
  const keyFile = join(dir, "token.key");
  const certFile = join(dir, "token.crt");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=airlock-test-token"], { stdio: "ignore" });
  const key = createPrivateKey(readFileSync(keyFile));
  const certDer = new X509Certificate(readFileSync(certFile)).raw.toString("base64");
  const requests: string[] = [];
  const basic = (a: Account) => `Basic ${Buffer.from(`${a.user}:${a.password}`).toString("base64")}`;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const scope = url.searchParams.get("scope") ?? "";
    requests.push(scope);
    const account = accounts.find((a) => basic(a) === req.headers.authorization);
    if (!account) {
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ details: "bad credentials" }));
      return;
    }
    const [type, name, actions] = scope.split(":");
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", x5c: [certDer] }));
    const claims = b64url(
      JSON.stringify({
        iss: "airlock-test-issuer",
        sub: account.user,
        aud: url.searchParams.get("service"),
        exp: now + 300,
        nbf: now - 10,
        iat: now,
        jti: randomUUID(),
        access: type === "repository" ? [{ type, name, actions: (actions ?? "").split(",").filter((a) => !account.actions || account.actions.includes(a)) }] : [],
      }),
    );
    const signature = b64url(sign("sha256", Buffer.from(`${header}.${claims}`), key));
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token: `${header}.${claims}.${signature}`, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, certFile, requests, close: () => new Promise((r) => server.close(() => r())) };
}
