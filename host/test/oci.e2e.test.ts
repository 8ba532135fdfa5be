// The three sample tools through a real local registry: `airlock publish`, then load-component by
// tag and by digest through a real MCP client, calls that work, the resolved digest in
// list-components, the publisher's requested policy shown and not granted, a cached digest
// loading with the registry stopped, and signatures required: unsigned and untrusted refused.
import { execFileSync } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PASSWORD, startRegistry, USER, type Registry } from "@airlock/oci/testing";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { airlock, connect, tempHome, type Connected, type TempHome } from "./helpers/airlock.js";
import { verifies } from "./requirements/requirements.js";

const TOOLS = join(import.meta.dirname, "..", "..", "tools");
const wasm = (name: string) => join(TOOLS, name, "dist", `${name}.wasm`);

let registry: Registry;
let publisher: TempHome;
let dir: string;
const digests = new Map<string, string>();
const ref = (name: string, tag = "1.0") => `oci://${registry.host}/tools/${name}:${tag}`;
const pinned = (name: string) => `oci://${registry.host}/tools/${name}@${digests.get(name)}`;
const text = (r: CallToolResult) => r.content.map((c) => (c as { text: string }).text).join("\n");

/** Writes an ECDSA P-256 key pair as <name>.pem and <name>.pub in the test directory. */
async function writeKeyPair(name: string): Promise<{ key: string; pub: string }> {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const files = { key: join(dir, `${name}.pem`), pub: join(dir, `${name}.pub`) };
  await writeFile(files.key, privateKey.export({ type: "pkcs8", format: "pem" }));
  await writeFile(files.pub, publicKey.export({ type: "spki", format: "pem" }));
  return files;
}

async function publish(file: string, target: string, ...extra: string[]): Promise<string> {
  const result = await airlock(publisher, "publish", file, target, ...extra);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return /@(sha256:[0-9a-f]{64})/.exec(result.stdout)![1]!;
}

beforeAll(async () => {
  registry = await startRegistry("none");
  publisher = await tempHome();
  dir = await mkdtemp(join(tmpdir(), "airlock-oci-e2e-"));
  const keys = await writeKeyPair("publisher");
  await writeFile(join(dir, "requests.yaml"), 'version: "1.0"\npermissions:\n  network:\n    allow:\n      - host: en.wikipedia.org\n');
  await writeFile(join(dir, "page.txt"), "hello from a granted directory\n");
  digests.set("grammar-checker", await publish(wasm("grammar-checker"), ref("grammar-checker")));
  digests.set("fetcher", await publish(wasm("fetcher"), ref("fetcher"), "--policy", join(dir, "requests.yaml")));
  digests.set("file-reader", await publish(wasm("file-reader"), ref("file-reader"), "--sign", keys.key));
}, 120_000);
afterAll(async () => {
  await registry?.stop();
  await publisher?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("publish", () => {
  it("writes CNCF Wasm artifacts that skopeo reads, with imports and exports in the config", () => {
    verifies("contract:oci:publish");
    const raw = JSON.parse(execFileSync("skopeo", ["inspect", "--tls-verify=false", "--raw", `docker://${registry.host}/tools/grammar-checker:1.0`], { encoding: "utf8" }));
    expect(raw.config.mediaType).toBe("application/vnd.wasm.config.v0+json");
    expect(raw.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual(["application/wasm", "application/vnd.airlock.component.wit.v1+text"]);
    const config = JSON.parse(execFileSync("skopeo", ["inspect", "--tls-verify=false", "--config", "--raw", `docker://${registry.host}/tools/grammar-checker:1.0`], { encoding: "utf8" }));
    expect(config.component.exports).toContain("check-grammar");
    expect(config).toMatchObject({ architecture: "wasm", os: "wasip2" });
  });
});

describe("load through MCP", () => {
  let home: TempHome;
  let mcp: Connected;
  const call = async (name: string, args: Record<string, unknown>) => (await mcp.client.callTool({ name, arguments: args })) as CallToolResult;
  beforeAll(async () => {
    home = await tempHome();
    mcp = await connect(home);
  });
  afterAll(async () => {
    await mcp?.close();
    await home?.cleanup();
  });

  it("loads the three sample tools by tag and by digest, and they work", async () => {
    verifies("contract:oci:load");
    for (const path of [ref("grammar-checker"), pinned("fetcher"), ref("file-reader")]) {
      const loaded = await call("load-component", { path });
      expect(text(loaded)).not.toMatch(/error/i);
      expect(loaded.isError).toBeFalsy();
    }
    const grammar = await call("check-grammar", { text: "This is is an test." });
    expect(grammar.isError).toBeFalsy();
    expect(JSON.stringify(grammar.structuredContent)).toContain("is is");
    await call("grant-network-permission", { component_id: "fetcher", details: { host: registry.host } });
    const fetched = await call("fetch", { url: `http://${registry.host}/v2/` });
    expect(fetched.isError).toBeFalsy();
    expect((fetched.structuredContent as { result: { status: number } }).result.status).toBe(200);
    await call("grant-storage-permission", { component_id: "file-reader", details: { uri: `fs://${dir}`, access: ["read"] } });
    const read = await call("read-file", { path: join(dir, "page.txt") });
    expect(read.isError).toBeFalsy();
    expect(JSON.stringify(read.structuredContent)).toContain("hello from a granted directory");
  });

  it("list-components shows the source and the digest each reference resolved to", async () => {
    const { components } = (await call("list-components", {})).structuredContent as { components: { id: string; source: string; digest: string }[] };
    expect(components.map((c) => [c.id, c.source, c.digest]).sort()).toEqual([
      ["fetcher", pinned("fetcher"), digests.get("fetcher")],
      ["file-reader", ref("file-reader"), digests.get("file-reader")],
      ["grammar-checker", ref("grammar-checker"), digests.get("grammar-checker")],
    ]);
  });

  it("shows the publisher's requested permissions without granting them", async () => {
    verifies("contract:oci:requested-policy");
    const policy = (await call("get-policy", { component_id: "fetcher" })).structuredContent as { policy: { permissions?: { network?: { allow: { host: string }[] } } }; requested: unknown };
    expect(policy.requested).toEqual({ version: "1.0", permissions: { network: { allow: [{ host: "en.wikipedia.org" }] } } });
    expect(policy.policy.permissions?.network?.allow.map((g) => g.host)).toEqual([registry.host]);
  });

  it("refuses a missing tag with a clear not-found naming the reference", async () => {
    const missing = await call("load-component", { path: ref("grammar-checker", "9.9") });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toBe(`${ref("grammar-checker", "9.9")}: not found (MANIFEST_UNKNOWN): check the tag with skopeo list-tags or publish it first`);
  });

  it("refuses an https:// URL without a digest pin", async () => {
    const unpinned = await call("load-component", { path: "https://example.com/tool.wasm" });
    expect(unpinned.isError).toBe(true);
    expect(text(unpinned)).toContain("pinned to a digest");
  });
});

describe("signatures required", () => {
  let home: TempHome;
  beforeAll(async () => {
    home = await tempHome();
    expect((await airlock(home, "trust", "add", join(dir, "publisher.pub"))).code).toBe(0);
    expect((await airlock(home, "trust", "require")).code).toBe(0);
  });
  afterAll(() => home?.cleanup());

  it("loads a component signed by the trusted key", async () => {
    const loaded = await airlock(home, "load", ref("file-reader"));
    expect(loaded.stderr).toBe("");
    expect(loaded.stdout).toContain(`resolved to ${digests.get("file-reader")}, signed by publisher.pub`);
  });

  it("refuses an unsigned component, naming the reference and digest", async () => {
    verifies("contract:oci:signatures");
    const refused = await airlock(home, "load", ref("fetcher"));
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(`airlock: ${ref("fetcher")} (${digests.get("fetcher")}) is not signed and signatures are required: ask the publisher to sign it (airlock publish --sign KEY)`);
  });

  it("over MCP loads only signed oci:// components: a file or a pinned https:// URL chosen by the model is refused", async () => {
    const mcp = await connect(home);
    try {
      const call = async (path: string) => (await mcp.client.callTool({ name: "load-component", arguments: { path } })) as CallToolResult;
      const https = `https://127.0.0.1:1/unsigned-tool.wasm#sha256=${"0".repeat(64)}`;
      for (const path of [https, wasm("fetcher"), `file://${wasm("fetcher")}`]) {
        const refused = await call(path);
        expect(refused.isError).toBe(true);
        expect(text(refused)).toBe(`${path}: signatures are required: only signed oci:// components can be loaded through MCP; load local files with the airlock CLI (airlock load)`);
      }
      const signed = await call(ref("file-reader"));
      expect(signed.isError).toBeFalsy();
      expect(text(signed)).toContain("signed by publisher.pub");
    } finally {
      await mcp.close();
    }
    // The user's own choice at the CLI still loads a local file.
    const cli = await airlock(home, "load", wasm("fetcher"));
    expect(cli.stderr).toBe("");
    expect(cli.code).toBe(0);
  });

  it("refuses a component signed by a key that is not trusted", async () => {
    const other = await tempHome();
    try {
      await airlock(other, "trust", "add", (await writeKeyPair("stranger")).pub);
      other.env.AIRLOCK_SIGNATURES = "required";
      const refused = await airlock(other, "load", ref("file-reader"));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`\\(${digests.get("file-reader")}\\): signed by untrusted key [0-9a-f]{64}`));
    } finally {
      await other.cleanup();
    }
  });
});

describe("trust add", () => {
  let home: TempHome;
  beforeAll(async () => {
    home = await tempHome();
  });
  afterAll(() => home?.cleanup());
  const keysDir = () => join(home.dir, "trust", "keys");

  it("refuses a private key (it would be copied into trust/keys), naming what to trust instead", async () => {
    const { key, pub } = await writeKeyPair("trusting");
    const together = join(dir, "together.pem");
    await writeFile(together, (await readFile(pub, "utf8")) + (await readFile(key, "utf8")));
    for (const file of [key, together]) {
      const refused = await airlock(home, "trust", "add", file);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`airlock: ${file} is a private key: trust its public key instead (openssl ec -in ${file} -pubout -out key.pub)`);
    }
    await expect(readdir(keysDir())).rejects.toThrow();
  });

  it("refuses a certificate, and stores a public key as its SPKI PEM only", async () => {
    const { key, pub } = await writeKeyPair("trusting2");
    const cert = join(dir, "cert.pem");
    execFileSync("openssl", ["req", "-x509", "-key", key, "-out", cert, "-days", "1", "-subj", "/CN=publisher"], { stdio: "ignore" });
    const refused = await airlock(home, "trust", "add", cert);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${cert}: not a PEM public key (found BEGIN CERTIFICATE)`);
    const spki = await readFile(pub, "utf8");
    const annotated = join(dir, "annotated.pub");
    await writeFile(annotated, `publisher's key, do not lose\n${spki}trailing notes\n`);
    expect((await airlock(home, "trust", "add", annotated)).code).toBe(0);
    expect(await readdir(keysDir())).toEqual(["annotated.pub"]);
    expect(await readFile(join(keysDir(), "annotated.pub"), "utf8")).toBe(spki);
  });
});

describe("cache", () => {
  it("loads a cached digest again with the registry stopped; a tag needs the registry", async () => {
    verifies("contract:oci:cache");
    const home = await tempHome();
    try {
      expect((await airlock(home, "load", pinned("grammar-checker"))).code).toBe(0);
      await registry.stop();
      const again = await airlock(home, "load", pinned("grammar-checker"));
      expect(again.stderr).toBe("");
      expect(again.code).toBe(0);
      const byTag = await airlock(home, "load", ref("grammar-checker"));
      expect(byTag.code).toBe(1);
      expect(byTag.stderr).toContain(`cannot reach ${registry.host}`);
      const inspected = await airlock(home, "inspect", pinned("grammar-checker"));
      expect(JSON.parse(inspected.stdout).tools.map((t: { name: string }) => t.name)).toContain("check-grammar");
      const list = await airlock(home, "list");
      expect(list.stdout).toContain(`${pinned("grammar-checker")} (${digests.get("grammar-checker")})`);
    } finally {
      await home.cleanup();
    }
  });
});

describe("credentials and tampering (Basic auth registry)", () => {
  let basic: Registry;
  let home: TempHome;
  const withConfig = async (name: string, password: string) => {
    const configDir = join(dir, name);
    await mkdir(configDir, { recursive: true });
    await writeFile(join(configDir, "config.json"), JSON.stringify({ auths: { [basic.host]: { auth: Buffer.from(`${USER}:${password}`).toString("base64") } } }));
    return { ...home, env: { ...home.env, DOCKER_CONFIG: configDir } };
  };
  beforeAll(async () => {
    basic = await startRegistry("basic");
    home = await tempHome();
  });
  afterAll(async () => {
    await basic?.stop();
    await home?.cleanup();
  });

  it("refuses bad credentials with a clear auth error; good ones from $DOCKER_CONFIG work", async () => {
    const good = await withConfig("good", PASSWORD);
    const target = `oci://${basic.host}/team/file-reader:1.0`;
    expect((await airlock(good, "publish", wasm("file-reader"), target)).code).toBe(0);
    const refused = await airlock(await withConfig("bad", "wrong"), "load", target);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`airlock: authentication failed for ${basic.host} (401): the registry refused the user name and password: check the credentials in`);
    expect((await airlock(good, "load", target)).code).toBe(0);
  });

  it("refuses a component whose blob was rewritten in the registry (digest mismatch)", async () => {
    verifies("contract:oci:verify");
    const good = await withConfig("good", PASSWORD);
    const fresh = { ...good, env: { ...good.env, AIRLOCK_HOME: join(dir, "fresh-home") } };
    const file = await readFile(wasm("file-reader"));
    const target = `oci://${basic.host}/team/evil:1.0`;
    expect((await airlock(good, "publish", wasm("file-reader"), target)).code).toBe(0);
    const digest = createHash("sha256").update(file).digest("hex");
    const blob = join(basic.storage, "docker", "registry", "v2", "blobs", "sha256", digest.slice(0, 2), digest, "data");
    const tampered = Buffer.from(file);
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 1;
    await writeFile(blob, tampered);
    const refused = await airlock(fresh, "load", target);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`digest mismatch: expected sha256:${digest}, got sha256:`);
  });
});
