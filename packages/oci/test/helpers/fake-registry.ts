// A small malicious registry on 127.0.0.1 for attacks a real registry cannot stage: it serves one
// Wasm artifact (manifest, config, component) and lets a test answer any request its own way.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { MEDIA_TYPES, sha256Digest } from "../../src/index.js";
import { COMPONENT } from "./artifacts.js";

export interface FakeArtifact {
  manifest: Buffer;
  digest: string;
  blobs: Map<string, Buffer>;
}

export function fakeArtifact(component: Buffer = COMPONENT): FakeArtifact {
  const config = Buffer.from(JSON.stringify({ architecture: "wasm", os: "wasip2" }));
  const descriptor = (bytes: Buffer, mediaType: string) => ({ mediaType, digest: sha256Digest(bytes), size: bytes.length });
  const manifest = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.manifest, config: descriptor(config, MEDIA_TYPES.wasmConfig), layers: [descriptor(component, MEDIA_TYPES.wasmLayer)] }),
  );
  return {
    manifest,
    digest: sha256Digest(manifest),
    blobs: new Map([
      [sha256Digest(config), config],
      [sha256Digest(component), component],
    ]),
  };
}

/** Answers a request itself (returns true) or lets the fake registry serve the artifact. */
export type Override = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface FakeServer {
  host: string;
  /** Every path asked for, in order. */
  requests: { url: string; authorization?: string }[];
  close(): Promise<void>;
}

export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<FakeServer> {
  const requests: FakeServer["requests"] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url ?? "", ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    host: `127.0.0.1:${(server.address() as { port: number }).port}`,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A registry serving `artifact` under every repository and tag, unless `override` answers first. */
export function fakeRegistry(artifact: FakeArtifact, override: Override = () => false): Promise<FakeServer> {
  return listen((req, res) => {
    if (override(req, res)) return;
    const url = req.url ?? "";
    if (/\/manifests\//.test(url)) {
      res.writeHead(200, { "content-type": MEDIA_TYPES.manifest, "docker-content-digest": artifact.digest }).end(artifact.manifest);
      return;
    }
    const blob = /\/blobs\/(sha256:[0-9a-f]{64})$/.exec(url)?.[1];
    const bytes = blob ? artifact.blobs.get(blob) : undefined;
    if (bytes) res.writeHead(200, { "content-type": "application/octet-stream" }).end(bytes);
    else res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ code: "NOT_FOUND", message: "unknown" }] }));
  });
}
