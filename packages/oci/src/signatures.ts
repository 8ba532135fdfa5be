// Sigstore bundles signed with a user's own key, no Fulcio or Rekor: a DSSE envelope around
// cosign's simple-signing statement, which names the repository and the manifest digest, so a
// signature holds only for the repository it was made for. Verification is offline, against
// trusted PEM public keys found by the bundle's key hint (the sha256 of the key).
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from "node:crypto";
import { createRequire } from "node:module";
import type { SerializedBundle } from "@sigstore/bundle";
import { OciError, printable, remoteText } from "./errors.js";
import type { Reference } from "./reference.js";

// sigstore takes ~0.4 s to import and most commands never sign or verify: it is required when
// first used (the packages are CommonJS, so verification stays synchronous).
const requireLazily = createRequire(import.meta.url);
const sigstoreBundle = () => requireLazily("@sigstore/bundle") as typeof import("@sigstore/bundle");
const sigstoreSign = () => requireLazily("@sigstore/sign") as typeof import("@sigstore/sign");
const sigstoreVerify = () => requireLazily("@sigstore/verify") as typeof import("@sigstore/verify");

export interface TrustedKey {
  /** Where the key came from (a file name), for messages. */
  name: string;
  pem: string;
}

const KEY_HELP = "make one with: openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out key.pem && openssl ec -in key.pem -pubout -out key.pub";

/** The key's hint: sha256 of its DER SubjectPublicKeyInfo, hex. */
export function keyFingerprint(key: KeyObject): string {
  return createHash("sha256")
    .update(key.export({ type: "spki", format: "der" }))
    .digest("hex");
}

function ecP256(key: KeyObject, name: string): KeyObject {
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    throw new OciError("BAD_KEY", `${name}: a ${key.asymmetricKeyType ?? "unknown"} key; signatures use ECDSA P-256 keys: ${KEY_HELP}`);
  }
  return key;
}

export function readPublicKey(pem: string, name: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new OciError("BAD_KEY", `${name}: not a PEM public key (${(error as Error).message}): ${KEY_HELP}`);
  }
  return ecP256(key, name);
}

/** The payload type of cosign's "simple signing" format, the signed statement below. */
export const SIMPLE_SIGNING_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
const SIMPLE_SIGNING_KIND = "cosign container image signature";

/** What a signature names: `<registry>/<repository>`, the registry host in lowercase. */
export function dockerReference(ref: Pick<Reference, "registry" | "repository">): string {
  return `${ref.registry.toLowerCase()}/${ref.repository}`;
}

/**
 * cosign's simple-signing statement: this manifest digest is the image at this repository. Signing
 * it (not the bare manifest) binds the signature to the repository: a signed artifact copied
 * under another name does not verify there.
 */
export function signaturePayload(reference: string, manifestDigest: string): Buffer {
  return Buffer.from(JSON.stringify({ critical: { identity: { "docker-reference": reference }, image: { "docker-manifest-digest": manifestDigest }, type: SIMPLE_SIGNING_KIND }, optional: null }));
}

/** A sigstore bundle (JSON) with a DSSE envelope signing the simple-signing statement for `ref` and `manifestDigest`. */
export async function signComponent(ref: Pick<Reference, "registry" | "repository">, manifestDigest: string, privateKeyPem: string, keyName: string): Promise<SerializedBundle> {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch (error) {
    throw new OciError("BAD_KEY", `${keyName}: not a PEM private key (${(error as Error).message}): ${KEY_HELP}`);
  }
  ecP256(privateKey, keyName);
  const publicKey = createPublicKey(privateKey);
  const hint = keyFingerprint(publicKey);
  const publicPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  const { DSSEBundleBuilder } = sigstoreSign();
  const builder = new DSSEBundleBuilder({
    signer: { sign: async (data) => ({ signature: sign("sha256", data, privateKey), key: { $case: "publicKey", publicKey: publicPem, hint } }) },
    witnesses: [],
  });
  return sigstoreBundle().bundleToJSON(await builder.create({ data: signaturePayload(dockerReference(ref), manifestDigest), type: SIMPLE_SIGNING_TYPE }));
}

export interface SignedSubject {
  /** The reference as the user wrote it, for errors. */
  name: string;
  /** `<registry>/<repository>` the component is loaded from: the signature must name it. */
  dockerReference: string;
  /** The manifest digest the signature must name. */
  digest: string;
}

/** Checks that one of `bundles` is a trusted key's signature naming the subject's repository and digest; returns that key's name. */
export function verifyComponentSignature(bundles: unknown[], subject: SignedSubject, trusted: TrustedKey[]): string {
  const keys = new Map(trusted.map((k) => [keyFingerprint(readPublicKey(k.pem, k.name)), k]));
  const { name, digest } = subject;
  if (bundles.length === 0) {
    throw new OciError("SIGNATURE_MISSING", `${name} (${digest}) is not signed and signatures are required: ask the publisher to sign it (airlock publish --sign KEY)`);
  }
  const problems: string[] = [];
  for (const json of bundles) {
    let hint = "?";
    try {
      const bundle = sigstoreBundle().bundleFromJSON(json);
      const material = bundle.verificationMaterial.content;
      hint = material.$case === "publicKey" ? (/^[0-9a-f]{64}$/.test(material.publicKey.hint) ? material.publicKey.hint : remoteText(material.publicKey.hint, 80)) : "a certificate";
      if (bundle.content.$case !== "dsseEnvelope")
        throw new Error("it signs the bare manifest, not the repository and digest (made by an older Airlock?): publish it again with airlock publish --sign");
      const key = keys.get(hint);
      if (!key) {
        problems.push(`signed by untrusted key ${hint}`);
        continue;
      }
      const { Verifier, toSignedEntity, toTrustMaterial } = sigstoreVerify();
      const trust = toTrustMaterial({ mediaType: "", certificateAuthorities: [], tlogs: [], ctlogs: [], timestampAuthorities: [] }, () => ({
        publicKey: readPublicKey(key.pem, key.name),
        validFor: () => true,
      }));
      new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(toSignedEntity(bundle));
      const signed = readStatement(bundle.content.dsseEnvelope.payloadType, bundle.content.dsseEnvelope.payload);
      if (signed.digest !== digest) throw new Error(`it signs ${remoteText(signed.digest, 80)}, another manifest`);
      if (signed.reference !== subject.dockerReference) {
        problems.push(`signed by ${key.name} for ${remoteText(signed.reference, 200)}, not for ${subject.dockerReference} (a signed artifact copied under another name?)`);
        continue;
      }
      return key.name;
    } catch (error) {
      problems.push(`bad signature (key ${hint}): ${printable((error as Error).message)}`);
    }
  }
  const untrusted = problems.every((p) => p.startsWith("signed by untrusted key"));
  throw new OciError(
    untrusted ? "UNTRUSTED_KEY" : "SIGNATURE_INVALID",
    `${name} (${digest}): ${problems.join("; ")}: ${untrusted ? "trust the publisher's public key (airlock trust add KEY.pub) if you mean to" : "do not use it"}`,
  );
}

/** The repository and digest a verified simple-signing statement names. */
function readStatement(payloadType: string, payload: Uint8Array): { reference: string; digest: string } {
  if (payloadType !== SIMPLE_SIGNING_TYPE) throw new Error(`it signs a ${remoteText(payloadType, 80)} payload, not ${SIMPLE_SIGNING_TYPE}`);
  let statement: { critical?: { identity?: { "docker-reference"?: unknown }; image?: { "docker-manifest-digest"?: unknown }; type?: unknown } };
  try {
    statement = JSON.parse(Buffer.from(payload).toString("utf8")) as typeof statement;
  } catch {
    throw new Error("its signed statement is not JSON");
  }
  const reference = statement?.critical?.identity?.["docker-reference"];
  const digest = statement?.critical?.image?.["docker-manifest-digest"];
  if (statement?.critical?.type !== SIMPLE_SIGNING_KIND || typeof reference !== "string" || typeof digest !== "string") {
    throw new Error("its signed statement does not name a repository and a manifest digest");
  }
  return { reference, digest };
}
