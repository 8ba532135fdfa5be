// The deployment file's checks: every problem at once, each naming its key and what to write.
import { describe, expect, it } from "vitest";
import { parseDeployment } from "../../src/deployment/deployment-file.js";
import { verifies } from "../requirements/requirements.js";

const DIGEST = `sha256:${"a".repeat(64)}`;
const FILE = "/etc/airlock/airlock.yaml";
const noFiles = (path: string): string => {
  throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
};
const parse = (text: string, readText: (path: string) => string = noFiles) => parseDeployment(text, FILE, readText);
const problems = (text: string, readText?: (path: string) => string): string => {
  try {
    parse(text, readText);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the file to be refused");
};

describe("deployment file", () => {
  it("reads components by digest, their grants and tools, and the server's settings", () => {
    const deployment = parse(
      `
version: 1
server:
  allowedHosts: [airlock.example.com]
  tokenFile: token
  clients: [{ name: agent-a, tokenFile: tokens/a }]
  trustedKeys: [keys/publisher.pub]
  audit: stdout
  metrics: { listen: "0.0.0.0:9464" }
  limits: { timeout: 10s, memory: 128Mi, workers: 2, idleStop: 2m, rate: { callsPerSecond: 5 } }
components:
  - source: oci://registry.example.com/tools/fetcher@${DIGEST}
    tools: [fetch]
    policy:
      version: "1.0"
      permissions: { network: { allow: [{ host: api.example.com }] } }
  - source: oci://registry.example.com/tools/grammar-checker@${DIGEST}
    id: grammar
    policy: policies/grammar.yaml
`,
      (path) => {
        expect(path).toBe("/etc/airlock/policies/grammar.yaml");
        return 'version: "1.0"\n';
      },
    );
    expect(deployment).toMatchObject({
      file: FILE,
      allowedHosts: ["airlock.example.com"],
      tokenFile: "/etc/airlock/token",
      clients: [{ name: "agent-a", tokenFile: "/etc/airlock/tokens/a" }],
      signatures: "required",
      trustedKeys: ["/etc/airlock/keys/publisher.pub"],
      audit: "stdout",
      metricsListen: "0.0.0.0:9464",
      limits: { timeoutMs: 10_000, memoryLimitBytes: 128 * 1024 * 1024, poolSize: 2, idleStopMs: 120_000, rate: { callsPerSecond: 5, burst: 5 } },
    });
    expect(deployment.components).toEqual([
      { id: "fetcher", source: `oci://registry.example.com/tools/fetcher@${DIGEST}`, tools: ["fetch"], policy: { version: "1.0", permissions: { network: { allow: [{ host: "api.example.com" }] } } } },
      { id: "grammar", source: `oci://registry.example.com/tools/grammar-checker@${DIGEST}`, policy: { version: "1.0" } },
    ]);
  });

  it("keeps idle workers with idleStop: off, and refuses an idleStop that is neither a duration nor off", () => {
    const off = parse(`version: 1\nserver: { limits: { idleStop: "off" } }\ncomponents: []\n`);
    expect(off.limits.idleStopMs).toBe(0);
    expect(problems(`version: 1\nserver: { limits: { idleStop: soon } }\ncomponents: []\n`)).toContain("idleStop");
  });

  it("lists every problem, each under its key, with what to write instead", () => {
    verifies("fleet:file");
    const message = problems(`
version: 1
server:
  limits: { timeout: soon }
  signatures: sometimes
components:
  - source: oci://registry.example.com/tools/fetcher:latest
  - source: oci://registry.example.com/tools/fetcher@${DIGEST}
    policy:
      version: "1.0"
      permissions: { network: { allow: [{ hots: api.example.com }] } }
  - source: oci://registry.example.com/tools/x@${DIGEST}
    colour: blue
`);
    expect(message).toContain(`${FILE} is not a valid deployment file:`);
    expect(message).toContain('airlock.yaml: server.limits.timeout: must be a duration such as "500ms", "30s" or "2m", received "soon"');
    expect(message).toContain('airlock.yaml: server.signatures: must be one of ["required","optional"]');
    expect(message).toContain("airlock.yaml: components.0.source: must be pinned to a digest: oci://REGISTRY/REPO@sha256:<64 hex> or https://...#sha256=<64 hex>");
    expect(message).toContain("airlock.yaml: components.1.policy.permissions.network.allow.0.hots: is not a known property");
    expect(message).toContain("airlock.yaml: components.2.colour: is not a known property");
  });

  it("refuses what a schema cannot see: ids used twice, unreadable policy files, unsigned sources with signatures required", () => {
    const message = problems(`
version: 1
components:
  - source: oci://a.example.com/tools/fetcher@${DIGEST}
  - source: oci://b.example.com/other/fetcher@${DIGEST}
    policy: missing.yaml
  - source: https://example.com/x.wasm#sha256=${"b".repeat(64)}
`);
    expect(message).toContain('components.1: the id "fetcher" is already used by components.0: give one of them another id');
    expect(message).toContain("components.1.policy: cannot read /etc/airlock/missing.yaml: no such file");
    expect(message).toContain("components.2.source: an https:// component carries no signature, and server.signatures is required");
    expect(message).toContain("server.trustedKeys: signatures are required (the default), so list the public keys that sign your components");
  });

  it("accepts unsigned sources only when signatures are optional", () => {
    const deployment = parse(`
version: 1
server: { signatures: optional }
components:
  - source: https://example.com/files/word-count.wasm#sha256=${"b".repeat(64)}
`);
    expect(deployment.components[0]).toMatchObject({ id: "word-count", policy: { version: "1.0" } });
  });

  it("names the bad grant inside a policy file", () => {
    const message = problems(
      `
version: 1
server: { signatures: optional }
components:
  - source: oci://r.example.com/tools/reader@${DIGEST}
    policy: reader.yaml
`,
      () => 'version: "1.0"\npermissions:\n  storage:\n    allow:\n      - uri: fs:///data/%2E%2E/etc\n        access: [read]\n',
    );
    expect(message).toContain("components.0.policy: /etc/airlock/reader.yaml: invalid policy at permissions.storage.allow.0.uri");
  });

  it("says so when the text is not YAML", () => {
    expect(problems("version: 1\ncomponents: [\n")).toContain("airlock.yaml: not valid YAML");
  });
});
