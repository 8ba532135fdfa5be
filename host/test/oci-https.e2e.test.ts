// https:// components load only with a digest pin; the pin is checked, and a pinned component
// that was fetched once loads again from the cache with the server gone. The server is a real
// https server on 127.0.0.1 with a certificate made by openssl, trusted through NODE_EXTRA_CA_CERTS.
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer as createHttpServer } from "node:http";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { airlock, tempHome, type TempHome } from "./helpers/airlock.js";
import { selfSignedCertificate } from "./helpers/certificate.js";
import { verifies } from "./requirements/requirements.js";

const FILE_READER = join(import.meta.dirname, "..", "..", "tools", "file-reader", "dist", "file-reader.wasm");
let dir: string;
let server: Server;
let plain: ReturnType<typeof createHttpServer>;
let plainOrigin: string;
let origin: string;
let home: TempHome;
let hex: string;
const requests: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "airlock-https-"));
  const { key, cert } = selfSignedCertificate(dir, ["-addext", "subjectAltName=IP:127.0.0.1"]);
  const component = await readFile(FILE_READER);
  hex = createHash("sha256").update(component).digest("hex");
  plain = createHttpServer((req, res) => {
    requests.push(`plain ${req.url ?? ""}`);
    res.end(component);
  });
  await new Promise<void>((r) => plain.listen(0, "127.0.0.1", r));
  plainOrigin = `http://127.0.0.1:${(plain.address() as { port: number }).port}`;
  server = createServer({ key: await readFile(key), cert: await readFile(cert) }, (req, res) => {
    requests.push(req.url ?? "");
    if (req.url === "/downgrade/file-reader.wasm") res.writeHead(302, { location: `${plainOrigin}/file-reader.wasm` }).end();
    else res.end(component);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  home = await tempHome();
  home.env.NODE_EXTRA_CA_CERTS = cert;
});
afterAll(async () => {
  server?.close();
  plain?.close();
  await home?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("refuses an https:// URL without a pin, and a pin the file does not match", async () => {
  verifies("contract:oci:https-pinned");
  const unpinned = await airlock(home, "load", `${origin}/file-reader.wasm`);
  expect(unpinned.code).toBe(1);
  expect(unpinned.stderr).toContain("pinned to a digest");
  const wrong = await airlock(home, "load", `${origin}/file-reader.wasm#sha256=${"0".repeat(64)}`);
  expect(wrong.code).toBe(1);
  expect(wrong.stderr).toContain(`digest mismatch: expected sha256:${"0".repeat(64)}, got sha256:${hex}`);
});

it("refuses a malformed %-escape in the URL's file name with a clear error, not a stack trace", async () => {
  const url = `${origin}/file%E0%A4%A-reader.wasm#sha256=${hex}`;
  const refused = await airlock(home, "load", url);
  expect(refused.code).toBe(1);
  expect(refused.stderr.trim()).toBe(
    `airlock: ${url}: the file name in the URL has a malformed %-escape: write it as https://host/path/tool.wasm#sha256=<hex of the file>, with "%" followed by two hex digits`,
  );
});

it("refuses a pinned https:// download that redirects to plain http (a downgrade)", async () => {
  const refused = await airlock(home, "load", `${origin}/downgrade/file-reader.wasm#sha256=${hex}`);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`redirect from https to plain http (${plainOrigin}) refused`);
  expect(requests.filter((r) => r.startsWith("plain "))).toEqual([]);
});

it("loads a pinned https:// component, then again from the cache with the server gone", async () => {
  const url = `${origin}/file-reader.wasm#sha256=${hex}`;
  const loaded = await airlock(home, "load", url);
  expect(loaded.stderr).toBe("");
  expect(loaded.stdout).toContain("loaded file-reader");
  expect(requests.at(-1)).toBe("/file-reader.wasm");
  await new Promise<void>((r) => server.close(() => r()));
  server.closeAllConnections();
  const again = await airlock(home, "load", url);
  expect(again.stderr).toBe("");
  expect((await airlock(home, "list")).stdout).toContain(`${url} (sha256:${hex})`);
});
