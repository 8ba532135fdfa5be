// Whose signatures Airlock trusts, kept under $AIRLOCK_HOME/trust/: keys/<name>.pub (PEM
// ECDSA P-256 public keys) and settings.json ({"signatures": "required" | "optional"}).
// $AIRLOCK_SIGNATURES=required|optional overrides the setting. Trusted keys are checked on every
// oci:// load that carries a signature; with "required", unsigned components are refused too.
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { basename, join } from "node:path";
import { readPublicKey, type TrustSettings } from "@airlock/oci";
import { UserError } from "../errors.js";
import { writeAtomically } from "../atomic-files.js";

export type SignaturePolicy = "required" | "optional";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class TrustStore {
  constructor(
    readonly dir: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  private get keysDir(): string {
    return join(this.dir, "keys");
  }

  async settings(): Promise<TrustSettings> {
    return { keys: await this.keys(), required: (await this.signaturePolicy()) === "required" };
  }

  async keys(): Promise<{ name: string; pem: string }[]> {
    let files: string[];
    try {
      files = (await readdir(this.keysDir)).filter((f) => f.endsWith(".pub")).sort();
    } catch {
      return [];
    }
    return Promise.all(files.map(async (f) => ({ name: f, pem: await readFile(join(this.keysDir, f), "utf8") })));
  }

  async signaturePolicy(): Promise<SignaturePolicy> {
    const fromEnv = this.env.AIRLOCK_SIGNATURES;
    if (fromEnv) {
      if (fromEnv !== "required" && fromEnv !== "optional") throw new UserError(`AIRLOCK_SIGNATURES="${fromEnv}": use required or optional`);
      return fromEnv;
    }
    try {
      const value = (JSON.parse(await readFile(join(this.dir, "settings.json"), "utf8")) as { signatures?: unknown }).signatures;
      return value === "required" ? "required" : "optional";
    } catch {
      return "optional";
    }
  }

  async setSignaturePolicy(policy: SignaturePolicy): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeAtomically(join(this.dir, "settings.json"), JSON.stringify({ signatures: policy }, null, 2) + "\n");
  }

  /** Stores a PEM public key (re-exported as SPKI PEM, nothing else of the file); returns the name it is trusted under. */
  async add(file: string, name = basename(file).replace(/\.(pub|pem)$/i, "") + ".pub"): Promise<string> {
    if (!NAME.test(name)) throw new UserError(`"${name}" cannot name a trusted key: use letters, digits, ".", "_" or "-"`);
    let pem: string;
    try {
      pem = await readFile(file, "utf8");
    } catch {
      throw new UserError(`cannot read ${file}: give the path of a PEM public key (openssl ec -in key.pem -pubout -out key.pub)`);
    }
    const blocks = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]!);
    if (blocks.some((b) => b.includes("PRIVATE KEY"))) {
      throw new UserError(`${file} is a private key: trust its public key instead (openssl ec -in ${file} -pubout -out key.pub), and keep the private key to yourself`);
    }
    if (blocks.length !== 1 || blocks[0] !== "PUBLIC KEY") {
      const found = blocks.length === 0 ? "no PEM block" : blocks.map((b) => `BEGIN ${b}`).join(", ");
      throw new UserError(`${file}: not a PEM public key (found ${found}): give a file that holds one -----BEGIN PUBLIC KEY----- block (openssl ec -in key.pem -pubout -out key.pub)`);
    }
    let spki: string;
    try {
      spki = readPublicKey(pem, file).export({ type: "spki", format: "pem" }).toString();
    } catch (error) {
      throw new UserError((error as Error).message);
    }
    await mkdir(this.keysDir, { recursive: true });
    await writeAtomically(join(this.keysDir, name), spki);
    return name;
  }

  async remove(name: string): Promise<boolean> {
    const file = name.endsWith(".pub") ? name : `${name}.pub`;
    if (!NAME.test(file)) return false;
    const existed = (await this.keys()).some((k) => k.name === file);
    await rm(join(this.keysDir, file), { force: true });
    return existed;
  }
}
