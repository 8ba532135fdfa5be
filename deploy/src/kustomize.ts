// Renders a kustomization the way `kubectl kustomize` does, for the subset of Kustomize these
// manifests use: `resources` (files and directories holding a kustomization), `namespace`,
// `images`, and `secretGenerator`/`configMapGenerator` from files and literals without name
// hashes. Anything else in a kustomization is refused by name, so the checks never pass on a
// rendering that differs from what the cluster would get.
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseAllDocuments } from "yaml";

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** A rendered object and the file it came from (for messages). */
export interface Rendered {
  object: K8sObject;
  source: string;
}

const SUPPORTED = new Set(["apiVersion", "kind", "resources", "namespace", "images", "secretGenerator", "configMapGenerator", "generatorOptions"]);

/** Kinds without a namespace among those a kustomization here may hold. */
const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass", "PriorityClass", "CustomResourceDefinition", "IngressClass"]);

interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

interface Generator {
  name: string;
  namespace?: string;
  type?: string;
  files?: string[];
  literals?: string[];
  envs?: string[];
  behavior?: string;
  options?: unknown;
}

export function kustomizationFile(dir: string): string {
  for (const name of ["kustomization.yaml", "kustomization.yml", "Kustomization"]) {
    const file = join(dir, name);
    if (existsSync(file)) return file;
  }
  throw new Error(`${dir}: no kustomization.yaml`);
}

/** Parses every document of a YAML file, failing on any YAML error with the file's name. */
export function parseYamlFile(file: string): unknown[] {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  const out: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

function asK8sObject(value: unknown, source: string): K8sObject {
  const v = value as Partial<K8sObject> | null;
  if (!v || typeof v !== "object" || typeof v.apiVersion !== "string" || typeof v.kind !== "string" || typeof v.metadata?.name !== "string") {
    throw new Error(`${source}: not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
  }
  return v as K8sObject;
}

/** Renders the kustomization in `dir` into its objects, in resource order (generated last). */
export function renderKustomization(dir: string): Rendered[] {
  const file = kustomizationFile(dir);
  const [k] = parseYamlFile(file) as [Record<string, unknown>];
  if (!k || k.kind !== "Kustomization") throw new Error(`${file}: kind must be Kustomization`);
  const unsupported = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0) throw new Error(`${file}: ${unsupported.join(", ")} not supported by this renderer (supported: ${[...SUPPORTED].join(", ")})`);

  const out: Rendered[] = [];
  for (const entry of (k.resources as string[] | undefined) ?? []) {
    const path = resolve(dir, entry);
    if (!existsSync(path)) throw new Error(`${file}: resource ${entry} does not exist`);
    if (statSync(path).isDirectory()) out.push(...renderKustomization(path));
    else for (const doc of parseYamlFile(path)) out.push({ object: asK8sObject(doc, path), source: path });
  }

  const options = (k.generatorOptions as { disableNameSuffixHash?: boolean } | undefined) ?? {};
  const generators: Array<[string, Generator[] | undefined]> = [
    ["Secret", k.secretGenerator as Generator[] | undefined],
    ["ConfigMap", k.configMapGenerator as Generator[] | undefined],
  ];
  for (const [kind, list] of generators) {
    for (const g of list ?? []) {
      if (!options.disableNameSuffixHash) throw new Error(`${file}: ${kind} generator ${g.name}: name hashes are not supported by this renderer (set generatorOptions.disableNameSuffixHash)`);
      if (g.envs || g.behavior || g.options) throw new Error(`${file}: ${kind} generator ${g.name}: envs, behavior and options are not supported by this renderer`);
      const data: Record<string, string> = {};
      for (const spec of g.files ?? []) {
        const eq = spec.indexOf("=");
        const key = eq >= 0 ? spec.slice(0, eq) : basename(spec);
        const path = resolve(dir, eq >= 0 ? spec.slice(eq + 1) : spec);
        if (!existsSync(path)) throw new Error(`${file}: ${kind} generator ${g.name}: file ${path} does not exist`);
        data[key] = kind === "Secret" ? readFileSync(path).toString("base64") : readFileSync(path, "utf8");
      }
      for (const literal of g.literals ?? []) {
        const eq = literal.indexOf("=");
        if (eq < 0) throw new Error(`${file}: ${kind} generator ${g.name}: literal ${literal} is not KEY=VALUE`);
        const value = literal.slice(eq + 1);
        data[literal.slice(0, eq)] = kind === "Secret" ? Buffer.from(value).toString("base64") : value;
      }
      const object: K8sObject = { apiVersion: "v1", kind, metadata: { name: g.name, ...(g.namespace ? { namespace: g.namespace } : {}) }, data };
      if (kind === "Secret") object.type = g.type ?? "Opaque";
      out.push({ object, source: `${file} (${kind} generator ${g.name})` });
    }
  }

  const namespace = k.namespace as string | undefined;
  if (namespace) {
    for (const { object } of out) if (!CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = namespace;
  }
  const images = (k.images as ImageOverride[] | undefined) ?? [];
  if (images.length > 0) for (const { object } of out) for (const container of podContainers(object)) container.image = overrideImage(container.image, images);
  return out;
}

/** The containers (init containers included) of a workload's pod template, or of a Pod. */
export function podContainers(object: K8sObject): Array<Record<string, unknown> & { name: string; image?: string }> {
  const spec = object.spec as Record<string, unknown> | undefined;
  const podSpec = (object.kind === "Pod" ? spec : (spec?.template as { spec?: Record<string, unknown> } | undefined)?.spec) as Record<string, unknown> | undefined;
  if (!podSpec) return [];
  return [...((podSpec.initContainers as []) ?? []), ...((podSpec.containers as []) ?? [])];
}

function overrideImage(image: string | undefined, images: ImageOverride[]): string | undefined {
  if (!image) return image;
  const at = image.indexOf("@");
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = withoutDigest.lastIndexOf(":");
  const hasTag = colon > withoutDigest.lastIndexOf("/");
  const name = hasTag ? withoutDigest.slice(0, colon) : withoutDigest;
  const rule = images.find((i) => i.name === name);
  if (!rule) return image;
  const newName = rule.newName ?? name;
  if (rule.digest) return `${newName}@${rule.digest}`;
  if (rule.newTag) return `${newName}:${rule.newTag}`;
  return newName + image.slice(name.length);
}
