// Small artifacts for the client tests: a fake component (the client checks media types and
// digests, not Wasm validity), signing keys made with node:crypto, a Docker config in a temp dir.
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OciError } from "../../src/index.js";

export const COMPONENT = Buffer.concat([Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]), Buffer.from("a pretend component ".repeat(200))]);
export const DESCRIBE = { exports: ["check-grammar"], imports: ["wasi:cli/environment@0.2.3"] };

export function ecKeys(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), publicPem: publicKey.export({ type: "spki", format: "pem" }).toString() };
}

export async function dockerConfig(auths: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "airlock-docker-config-"));
  const file = join(dir, "config.json");
  await writeFile(file, JSON.stringify({ auths }));
  return file;
}

/** The OciError a promise is refused with; fails the test if it resolves or throws another error. */
export async function refusal(promise: Promise<unknown>): Promise<OciError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OciError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}
