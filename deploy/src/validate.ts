// Validates Kubernetes objects against the API's OpenAPI schemas, through the models of the
// `kubernetes-models` package (one class per apiVersion and kind, whose `.validate()` runs the
// schema's compiled validator). The schemas leave unknown fields open, as the API server does
// unless asked for strict field validation (`kubectl apply --validate=strict`); `validateObject`
// is strict too: a field no schema on its path defines (a misspelt `readOnlyRootFileSystem`, say)
// is an error, found by watching which fields the validator reads.
import type { K8sObject } from "./kustomize.js";

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/** The module of `kubernetes-models` for an apiVersion: "v1", "apps/v1", "networking.k8s.io/v1". */
function modelModule(apiVersion: string): string {
  if (!/^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(apiVersion)) throw new Error(`apiVersion ${JSON.stringify(apiVersion)} is not GROUP/VERSION or VERSION`);
  return `kubernetes-models/${apiVersion}`;
}

export async function modelClass(apiVersion: string, kind: string): Promise<ModelClass> {
  let module: Record<string, unknown>;
  try {
    module = (await import(modelModule(apiVersion))) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`apiVersion ${apiVersion} is not a Kubernetes API kubernetes-models knows (${(error as Error).message})`, { cause: error });
  }
  const model = module[kind];
  if (typeof model !== "function") throw new Error(`kind ${kind} does not exist in apiVersion ${apiVersion}`);
  return model as ModelClass;
}

/** Problems with one object: schema errors, then fields no schema defines. Empty when it is valid. */
export async function validateObject(object: K8sObject): Promise<string[]> {
  let Model: ModelClass;
  try {
    Model = await modelClass(object.apiVersion, object.kind);
  } catch (error) {
    return [(error as Error).message];
  }
  const problems: string[] = [];
  try {
    new Model(structuredClone(object)).validate();
  } catch (error) {
    const errors = (error as { errors?: Array<{ instancePath: string; message?: string }> }).errors;
    if (errors?.length) for (const e of errors) problems.push(`${e.instancePath || "/"}: ${e.message ?? "invalid"}`);
    else problems.push((error as Error).message);
  }
  if (problems.length > 0) return problems;
  for (const path of unknownFields(Model, object)) problems.push(`${path}: unknown field (no schema defines it)`);
  return problems;
}

/**
 * The fields of `object` the model's validator never looked at. The validator reads each property
 * its schema defines (`data.name`), and enumerates the keys of maps (labels, data, limits); every
 * other key is one the schema does not know.
 */
function unknownFields(Model: ModelClass, object: K8sObject): string[] {
  const seen = new Map<object, { read: Set<PropertyKey>; enumerated: boolean; path: string }>();
  const wrap = (value: unknown, path: string): unknown => {
    if (value === null || typeof value !== "object") return value;
    const record = { read: new Set<PropertyKey>(), enumerated: false, path };
    seen.set(value, record);
    const children = new Map<PropertyKey, unknown>();
    return new Proxy(value, {
      get(target, key, receiver) {
        record.read.add(key);
        const child: unknown = Reflect.get(target, key, receiver);
        if (typeof key !== "string" || child === null || typeof child !== "object") return child;
        if (!children.has(key)) children.set(key, wrap(child, `${path}/${key}`));
        return children.get(key);
      },
      has(target, key) {
        record.read.add(key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        record.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
  };
  const copy = structuredClone(object) as unknown as Record<string, unknown>;
  const model = new Model({}) as Model & Record<string, unknown>;
  // The model's own fields are the object's, each behind a proxy, so the validator sees them.
  for (const [key, value] of Object.entries(copy)) model[key] = wrap(value, `/${key}`);
  model.validate();
  const unknown: string[] = [];
  for (const [value, record] of seen) {
    if (Array.isArray(value) || record.enumerated) continue;
    for (const key of Object.keys(value)) if (!record.read.has(key)) unknown.push(`${record.path}/${key}`);
  }
  return unknown.sort();
}
