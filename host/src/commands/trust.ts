// airlock trust add <key.pub> [--name NAME] | list | remove <name> | require | optional: the
// public keys whose signatures Airlock accepts on oci:// components, and whether a signature is
// required ($AIRLOCK_HOME/trust/; AIRLOCK_SIGNATURES overrides the setting).
import { keyFingerprint, readPublicKey } from "@airlock/oci";
import { UsageError, UserError } from "../errors.js";
import { airlockHome } from "../home.js";
import { trustStore } from "../store/fetch-component.js";
import { airlockCommand } from "../cli-command.js";

const USAGE = "usage: airlock trust add <key.pub> [--name NAME] | trust list | trust remove <name> | trust require | trust optional";

export async function trust(args: string[]): Promise<void> {
  const store = trustStore(airlockHome().root);
  const [action, ...rest] = args;
  switch (action) {
    case "add": {
      const nameIndex = rest.indexOf("--name");
      const name = nameIndex === -1 ? undefined : rest[nameIndex + 1];
      const files = nameIndex === -1 ? rest : [...rest.slice(0, nameIndex), ...rest.slice(nameIndex + 2)];
      if (files.length !== 1 || (nameIndex !== -1 && !name)) throw new UsageError(USAGE);
      const added = await store.add(files[0]!, name ? `${name.replace(/\.pub$/, "")}.pub` : undefined);
      console.log(
        `trusting ${added}: oci:// components signed with it load${(await store.signaturePolicy()) === "required" ? "" : " (signatures are optional: airlock trust require makes them required)"}`,
      );
      return;
    }
    case "list": {
      if (rest.length > 0) throw new UsageError(USAGE);
      const keys = await store.keys();
      console.log(`signatures: ${await store.signaturePolicy()}`);
      for (const key of keys) console.log(`${key.name}\t${keyFingerprint(readPublicKey(key.pem, key.name))}`);
      if (keys.length === 0) console.log(`no trusted keys in ${store.dir}: add one with ${airlockCommand()} trust add <key.pub>`);
      return;
    }
    case "remove":
      if (rest.length !== 1) throw new UsageError(USAGE);
      if (!(await store.remove(rest[0]!))) throw new UserError(`no trusted key "${rest[0]}": ${airlockCommand()} trust list shows them`);
      console.log(`no longer trusting ${rest[0]}`);
      return;
    case "require":
    case "optional":
      if (rest.length > 0) throw new UsageError(USAGE);
      await store.setSignaturePolicy(action === "require" ? "required" : "optional");
      console.log(action === "require" ? "signatures are now required for oci:// components" : "signatures are now optional (still checked when present and keys are trusted)");
      return;
    default:
      throw new UsageError(USAGE);
  }
}
