// airlock publish <file.wasm> oci://registry/repo:tag [--sign KEY] [--policy FILE]: push a
// component as a CNCF Wasm artifact, with its WIT and, optionally, the policy it requests and a
// sigstore signature. Credentials come from the Docker config.
import { readFile } from "node:fs/promises";
import { isComponent } from "@airlock/wit-parser";
import { OciError, RegistryClient, parseReference, publishComponent } from "@airlock/oci";
import { UsageError, UserError } from "../errors.js";
import { describeComponent } from "../loader/describe-component.js";
import { parsePolicy } from "../policy/policy-store.js";

const USAGE = "usage: airlock publish <file.wasm> oci://<registry>/<repo>:<tag> [--sign KEY.pem] [--policy FILE]";

function option(args: string[], name: string): { value?: string; rest: string[] } {
  const i = args.indexOf(name);
  if (i === -1) return { rest: args };
  const value = args[i + 1];
  if (!value || value.startsWith("--")) throw new UsageError(`${name} needs a file: ${USAGE}`);
  return { value, rest: [...args.slice(0, i), ...args.slice(i + 2)] };
}

const readText = (file: string, what: string) =>
  readFile(file, "utf8").catch(() => {
    throw new UserError(`cannot read the ${what} ${file}`);
  });

export async function publish(args: string[]): Promise<void> {
  const sign = option(args, "--sign");
  const policyOption = option(sign.rest, "--policy");
  const [file, target, ...extra] = policyOption.rest;
  if (!file || !target || extra.length > 0) throw new UsageError(USAGE);
  let ref;
  try {
    ref = parseReference(target);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!ref.tag || ref.digest) throw new UsageError(`${target}: publish to a tag, e.g. oci://${ref.registry}/${ref.repository}:1.0`);
  const component = await readFile(file).catch(() => {
    throw new UserError(`cannot read ${file}: give the path of a .wasm component`);
  });
  if (!isComponent(component)) throw new UserError(`${file} is not a WebAssembly component: build it as a component first`);
  const description = await describeComponent(component).catch((error: Error) => {
    throw new UserError(`cannot read the exports of ${file}: ${error.message}`);
  });
  let policy: string | undefined;
  if (policyOption.value) {
    policy = await readText(policyOption.value, "policy file");
    parsePolicy(policy, policyOption.value);
  }
  const signingKey = sign.value ? { pem: await readText(sign.value, "signing key"), name: sign.value } : undefined;
  const started = performance.now();
  try {
    const published = await publishComponent(new RegistryClient(), ref, {
      component,
      describe: {
        exports: description.functions.map((f) => (f.interfaceName ? `${f.interfaceName}#${f.name}` : f.name)),
        imports: description.imports,
      },
      wit: description.wit,
      ...(policy !== undefined ? { policy } : {}),
      ...(signingKey ? { signingKey } : {}),
    });
    const ms = Math.round(performance.now() - started);
    console.log(`published ${published.reference}@${published.digest} (${component.length} bytes, ${ms} ms${published.signature ? `, signed with ${sign.value}` : ""})`);
  } catch (error) {
    if (error instanceof OciError) throw new UserError(error.message, { cause: error });
    throw error;
  }
}
