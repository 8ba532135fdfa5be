// Sigstore bundles signed with a user's own key, no Fulcio or Rekor: the signed message is the
// component's manifest, so the bundle's message digest is the manifest digest. Verification is
// offline, against trusted PEM public keys found by the bundle's key hint (the sha256 of the key).
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from "node:crypto";
import { bundleFromJSON, bundleToJSON, type SerializedBundle } from "@sigstore/bundle";
import { MessageSignatureBundleBuilder } from "@sigstore/sign";
import { Verifier, toSignedEntity, toTrustMaterial } from "@sigstore/verify";
import { OciError } from "./errors.js";

export interface TrustedKey {
  /** Where the key came from (a file name), for messages. */
  name: string;
  pem: string;
}

const KEY_HELP = "make one with: openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out key.pem && openssl ec -in key.pem -pubout -out key.pub";

/** The key's hint: sha256 of its DER SubjectPublicKeyInfo, hex. */
export function keyFingerprint(key: KeyObject): string {
  return createHash("sha256").update(key.export({ type: "spki", format: "der" })).digest("hex");
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

/** A sigstore bundle (JSON) signing `manifest` with a PEM private key. */
export async function signManifest(manifest: Uint8Array, privateKeyPem: string, keyName: string): Promise<SerializedBundle> {
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
  const builder = new MessageSignatureBundleBuilder({
    signer: { sign: async (data) => ({ signature: sign("sha256", data, privateKey), key: { $case: "publicKey", publicKey: publicPem, hint } }) },
    witnesses: [],
  });
  return bundleToJSON(await builder.create({ data: Buffer.from(manifest) }));
}

/**
 * Checks that one of `bundles` signs `manifest` with a trusted key; returns that key's name.
 * `name` is the reference and digest, for errors.
 */
export function verifyManifestSignature(bundles: unknown[], manifest: Uint8Array, manifestDigest: string, trusted: TrustedKey[], name: string): string {
  const keys = new Map(trusted.map((k) => [keyFingerprint(readPublicKey(k.pem, k.name)), k]));
  if (bundles.length === 0) {
    throw new OciError("SIGNATURE_MISSING", `${name} (${manifestDigest}) is not signed and signatures are required: ask the publisher to sign it (airlock publish --sign KEY)`);
  }
  const problems: string[] = [];
  for (const json of bundles) {
    let hint = "?";
    try {
      const bundle = bundleFromJSON(json);
      if (bundle.content.$case !== "messageSignature") throw new Error("not a message signature bundle");
      hint = bundle.verificationMaterial.content.$case === "publicKey" ? bundle.verificationMaterial.content.publicKey.hint : "a certificate";
      const signed = Buffer.from(bundle.content.messageSignature.messageDigest?.digest ?? []).toString("hex");
      if (`sha256:${signed}` !== manifestDigest) throw new Error(`it signs sha256:${signed}, another manifest`);
      const key = keys.get(hint);
      if (!key) {
        problems.push(`signed by untrusted key ${hint}`);
        continue;
      }
      const trust = toTrustMaterial({ mediaType: "", certificateAuthorities: [], tlogs: [], ctlogs: [], timestampAuthorities: [] }, () => ({
        publicKey: readPublicKey(key.pem, key.name),
        validFor: () => true,
      }));
      new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(toSignedEntity(bundle, Buffer.from(manifest)));
      return key.name;
    } catch (error) {
      problems.push(`bad signature (key ${hint}): ${(error as Error).message}`);
    }
  }
  const untrusted = problems.every((p) => p.startsWith("signed by untrusted key"));
  throw new OciError(
    untrusted ? "UNTRUSTED_KEY" : "SIGNATURE_INVALID",
    `${name} (${manifestDigest}): ${problems.join("; ")}: ${untrusted ? "trust the publisher's public key (airlock trust add KEY.pub) if you mean to" : "do not use it"}`,
  );
}
