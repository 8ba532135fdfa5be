// The Kubernetes manifests: rendered as `kubectl kustomize` would, validated against the API's
// schemas, and checked for what a reviewer of a deployment looks for.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseDeployment } from "@airlock/host";
import { parse, parseAllDocuments } from "yaml";
import { destinations, egressProblems, isPinned, parseDeploymentFile, type DeploymentFile } from "../src/egress.js";
import { podContainers, renderKustomization, type K8sObject, type Rendered } from "../src/kustomize.js";
import { validateObject } from "../src/validate.js";

const onPath = (command: string) => (process.env.PATH ?? "").split(":").some((dir) => dir !== "" && existsSync(join(dir, command)));
const kustomizeDir = join(import.meta.dirname, "..", "kustomize");
const base = () => renderKustomization(join(kustomizeDir, "base"));

// The example overlay reads two files an installer makes (they are not committed): render it from
// a copy that has them.
let copy: string;
let overlay: Rendered[];
beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), "airlock-deploy-"));
  cpSync(kustomizeDir, copy, { recursive: true });
  writeFileSync(join(copy, "overlays", "example", "token"), "0123456789abcdef0123456789abcdef\n");
  writeFileSync(join(copy, "overlays", "example", "publisher.pub"), "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n");
  overlay = renderKustomization(join(copy, "overlays", "example"));
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

function only(objects: Rendered[], kind: string, name?: string): K8sObject {
  const found = objects.filter((r) => r.object.kind === kind && (name === undefined || r.object.metadata.name === name));
  expect(
    found.map((r) => `${r.object.kind}/${r.object.metadata.name}`),
    `exactly one ${kind}${name ? `/${name}` : ""}`,
  ).toHaveLength(1);
  return found[0]!.object;
}

type PodSpec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const podSpec = (deployment: K8sObject): PodSpec => (deployment.spec as { template: { spec: PodSpec } }).template.spec;
const podLabels = (deployment: K8sObject): Record<string, string> => (deployment.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
const matches = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

function deploymentFile(objects: Rendered[]): { file: DeploymentFile; configMap: K8sObject } {
  const configMap = only(objects, "ConfigMap", "airlock-config");
  const text = (configMap.data as Record<string, string>)["airlock.yaml"];
  expect(text, "the ConfigMap holds airlock.yaml").toBeTypeOf("string");
  return { file: parseDeploymentFile(text!, "ConfigMap airlock-config, airlock.yaml"), configMap };
}

describe("rendering", () => {
  test("the base holds each object of a fleet, with the API version of its kind, in namespace airlock", () => {
    const objects = base();
    expect(objects.map((r) => `${r.object.apiVersion} ${r.object.kind}/${r.object.metadata.name}`).sort()).toEqual(
      [
        "apps/v1 Deployment/airlock",
        "autoscaling/v2 HorizontalPodAutoscaler/airlock",
        "networking.k8s.io/v1 NetworkPolicy/airlock",
        "policy/v1 PodDisruptionBudget/airlock",
        "v1 ConfigMap/airlock-config",
        "v1 Namespace/airlock",
        "v1 Service/airlock",
        "v1 ServiceAccount/airlock",
      ].sort(),
    );
    for (const { object } of objects) if (object.kind !== "Namespace") expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe("airlock");
  });

  test("the example overlay adds the token Secret and the publisher key, and sets the image", () => {
    const secret = only(overlay, "Secret", "airlock-token");
    expect(Buffer.from((secret.data as Record<string, string>).token!, "base64").toString()).toBe("0123456789abcdef0123456789abcdef\n");
    expect((only(overlay, "ConfigMap", "airlock-keys").data as Record<string, string>)["publisher.pub"]).toContain("BEGIN PUBLIC KEY");
    expect(podContainers(only(overlay, "Deployment")).map((c) => c.image)).toEqual(["registry.example.com/airlock/airlock:0.1.0"]);
    for (const { object } of overlay) if (object.kind !== "Namespace") expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe("airlock");
  });

  // kubectl is not needed to run these tests; where it is installed, its kustomize must agree.
  test.skipIf(!onPath("kubectl"))("the rendering equals `kubectl kustomize` of the example overlay, where kubectl is on PATH", () => {
    const rendered = execFileSync("kubectl", ["kustomize", join(copy, "overlays", "example")], { encoding: "utf8" });
    const theirs = parseAllDocuments(rendered).map((d) => d.toJS() as K8sObject);
    const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
    const byKey = (list: K8sObject[]) => Object.fromEntries(list.map((o) => [key(o), o]));
    expect(byKey(overlay.map((r) => r.object))).toEqual(byKey(theirs));
  });

  test("the example overlay refuses to render without the token an installer makes (no placeholder token ships)", () => {
    const bare = mkdtempSync(join(tmpdir(), "airlock-deploy-"));
    try {
      cpSync(kustomizeDir, bare, { recursive: true });
      rmSync(join(bare, "overlays", "example", "token"), { force: true });
      expect(() => renderKustomization(join(bare, "overlays", "example"))).toThrow(/airlock-token: file .*token does not exist/);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});

describe("Kubernetes API schemas", () => {
  test("every object of the base and of the example overlay is valid, with no unknown field", async () => {
    for (const { object, source } of [...base(), ...overlay]) {
      expect(await validateObject(object), `${object.kind}/${object.metadata.name} from ${source}`).toEqual([]);
    }
  });

  test("the same validator reports broken manifests", async () => {
    const deployment = only(overlay, "Deployment");
    const portAsObject = structuredClone(deployment);
    podSpec(portAsObject).containers[0].readinessProbe.httpGet.port = { number: 8080 };
    expect((await validateObject(portAsObject)).join("\n")).toMatch(/readinessProbe\/httpGet\/port: must be/);

    const misspelt = structuredClone(deployment);
    delete podSpec(misspelt).containers[0].securityContext.readOnlyRootFilesystem;
    podSpec(misspelt).containers[0].securityContext.readOnlyRootFileSystem = true;
    expect(await validateObject(misspelt)).toEqual(["/spec/template/spec/containers/0/securityContext/readOnlyRootFileSystem: unknown field (no schema defines it)"]);

    const badQuantity = structuredClone(deployment);
    podSpec(badQuantity).containers[0].resources.limits.memory = "1 GB";
    expect((await validateObject(badQuantity)).join("\n")).toMatch(/resources\/limits\/memory: must match format "quantity"/);

    // autoscaling/v1 has no `metrics`: the v2 object under the old version is refused.
    const oldHpa = { ...structuredClone(only(overlay, "HorizontalPodAutoscaler")), apiVersion: "autoscaling/v1" };
    expect((await validateObject(oldHpa)).join("\n")).toMatch(/\/spec\/metrics: unknown field/);
    expect(await validateObject({ ...structuredClone(deployment), apiVersion: "v1" })).toEqual(["kind Deployment does not exist in apiVersion v1"]);
    expect((await validateObject({ ...structuredClone(deployment), apiVersion: "apps/v9" }))[0]).toMatch(/^apiVersion apps\/v9 is not a Kubernetes API/);
  });
});

describe("what a reviewer checks", () => {
  test("every container runs as uid 10001, non-root, on a read-only root, without privileges or capabilities", () => {
    const deployment = only(overlay, "Deployment");
    const pod = podSpec(deployment);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.hostNetwork ?? false).toBe(false);
    expect(pod.hostPID ?? false).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } });
    expect((pod.volumes as Array<Record<string, unknown>>).filter((v) => "hostPath" in v)).toEqual([]);
    const containers = podContainers(deployment);
    expect(containers.length).toBeGreaterThan(0);
    for (const c of containers) {
      const sc = c.securityContext as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(sc, c.name).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(sc.runAsUser ?? pod.securityContext.runAsUser, c.name).toBe(10001);
      expect(sc.privileged ?? false, c.name).toBe(false);
      expect(sc.capabilities.add ?? [], c.name).toEqual([]);
      const resources = c.resources as { requests: Record<string, string>; limits: Record<string, string> };
      expect(resources.requests.memory, c.name).toBe("512Mi");
      expect(resources.requests.cpu && resources.limits.memory && resources.limits.cpu, `${c.name}: requests and limits`).toBeTruthy();
    }
  });

  test("the readiness probe asks /readyz and the liveness probe /healthz, on the MCP port 8080", () => {
    const [container] = podContainers(only(overlay, "Deployment"));
    const ports = container!.ports as Array<{ name: string; containerPort: number }>;
    const portOf = (port: string | number) => (typeof port === "number" ? port : ports.find((p) => p.name === port)?.containerPort);
    const probe = (name: string) => (container![name] as { httpGet: { path: string; port: string | number } }).httpGet;
    expect({ path: probe("readinessProbe").path, port: portOf(probe("readinessProbe").port) }).toEqual({ path: "/readyz", port: 8080 });
    expect({ path: probe("livenessProbe").path, port: portOf(probe("livenessProbe").port) }).toEqual({ path: "/healthz", port: 8080 });
    expect({ path: probe("startupProbe").path, port: portOf(probe("startupProbe").port) }).toEqual({ path: "/healthz", port: 8080 });
    expect(ports.map((p) => p.containerPort).sort()).toEqual([8080, 9464]);
  });

  test("state and /tmp are emptyDirs, and /etc/airlock holds the file, the token and the keys airlock.yaml names", () => {
    const deployment = only(overlay, "Deployment");
    const pod = podSpec(deployment);
    const [container] = podContainers(deployment);
    const mounts = container!.volumeMounts as Array<{ name: string; mountPath: string; readOnly?: boolean }>;
    const env = Object.fromEntries((container!.env as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]));
    const volume = (mountPath: string) => {
      const mount = mounts.find((m) => m.mountPath === mountPath);
      expect(mount, `a volume mounted at ${mountPath}`).toBeDefined();
      return { mount: mount!, volume: (pod.volumes as Array<Record<string, any>>).find((v) => v.name === mount!.name)! }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    for (const path of [env.AIRLOCK_HOME!, env.HOME!, "/tmp"]) expect(volume(path).volume.emptyDir, `${path} is an emptyDir`).toBeDefined();
    expect(env.AIRLOCK_HOME).toBe("/var/lib/airlock");
    const config = volume("/etc/airlock");
    expect(config.mount.readOnly).toBe(true);
    // Readable by root and the pod's fsGroup (10001) only, never by others.
    expect(config.volume.projected.defaultMode).toBe(0o440);
    expect(pod.securityContext.fsGroup).toBe(10001);

    // The files of the projected tree, each with the object and key it comes from.
    const files = new Map<string, { kind: string; name: string; key: string }>();
    for (const source of config.volume.projected.sources as Array<Record<string, { name: string; items: Array<{ key: string; path: string }> }>>) {
      for (const [kind, ref] of Object.entries(source))
        for (const item of ref.items) files.set(`/etc/airlock/${item.path}`, { kind: kind === "secret" ? "Secret" : "ConfigMap", name: ref.name, key: item.key });
    }
    const args = container!.args as string[];
    const configPath = args[args.indexOf("--config") + 1]!;
    const { file } = deploymentFile(overlay);
    for (const path of [configPath, file.server!.tokenFile!, ...(file.server!.trustedKeys ?? [])]) {
      const origin = files.get(path);
      expect(origin, `${path} is in the projected volume at /etc/airlock`).toBeDefined();
      const object = only(overlay, origin!.kind, origin!.name);
      expect(Object.keys(object.data as object), `${origin!.kind}/${origin!.name} has key ${origin!.key}`).toContain(origin!.key);
    }
    expect(files.get(file.server!.tokenFile!)!.kind, "the token comes from a Secret").toBe("Secret");
  });

  test("airlock.yaml passes the host's own checks (serve --config would start with it)", () => {
    const { configMap } = deploymentFile(overlay);
    const text = (configMap.data as Record<string, string>)["airlock.yaml"]!;
    const checked = parseDeployment(text, "/etc/airlock/airlock.yaml", (path) => {
      throw new Error(`the example names no policy file, but ${path} was read`);
    });
    expect(checked.components.map((c) => c.id)).toEqual(["fetcher", "grammar-checker"]);
    expect(checked.limits.rate).toEqual({ callsPerSecond: 20, burst: 40 });
    // And the host's checks can fail on this very text: a tag instead of a digest is refused.
    expect(() => parseDeployment(text.replace(/@sha256:0{64}/, ":1.0"), "/etc/airlock/airlock.yaml", () => "")).toThrow(/components\.0\.source: must be pinned to a digest/);
  });

  test("airlock.yaml names every component by digest, and its server section fits the Service and the pods", () => {
    const { file } = deploymentFile(overlay);
    for (const component of file.components) expect(isPinned(component.source), `${component.source} is pinned by @sha256: or #sha256=`).toBe(true);
    expect(isPinned("oci://registry.example.com/airlock/fetcher:1.0")).toBe(false);
    expect(isPinned("oci://registry.example.com/airlock/fetcher@sha256:abc")).toBe(false);
    const service = only(overlay, "Service");
    const ns = service.metadata.namespace!;
    expect(file.server!.allowedHosts).toEqual(expect.arrayContaining([service.metadata.name, `${service.metadata.name}.${ns}.svc.cluster.local`]));
    expect(file.server!.signatures ?? "required").toBe("required");
    expect(file.server!.trustedKeys?.length).toBeGreaterThan(0);
    expect(file.server!.audit).toBe("stdout");
    expect(file.server!.metrics?.listen).toBe("0.0.0.0:9464");
  });

  test("the Service, the disruption budget, the autoscaler and the network policy select the pods", () => {
    const deployment = only(overlay, "Deployment");
    const labels = podLabels(deployment);
    const replicas = (deployment.spec as { replicas: number }).replicas;
    expect(replicas).toBe(3);
    const service = only(overlay, "Service");
    const spec = service.spec as { selector: Record<string, string>; ports: Array<{ name: string; port: number; targetPort: string | number }> };
    expect(matches(spec.selector, labels)).toBe(true);
    const containerPorts = podContainers(deployment)[0]!.ports as Array<{ name: string; containerPort: number }>;
    const target = (p: string | number) => (typeof p === "number" ? p : containerPorts.find((c) => c.name === p)?.containerPort);
    expect(spec.ports.map((p) => [p.name, p.port, target(p.targetPort)])).toEqual([
      ["mcp", 8080, 8080],
      ["metrics", 9464, 9464],
    ]);
    const pdb = only(overlay, "PodDisruptionBudget").spec as { minAvailable: number; selector: { matchLabels: Record<string, string> } };
    expect(matches(pdb.selector.matchLabels, labels)).toBe(true);
    expect(pdb.minAvailable).toBeLessThan(replicas);
    const hpa = only(overlay, "HorizontalPodAutoscaler").spec as { scaleTargetRef: { kind: string; name: string }; minReplicas: number; metrics: Array<{ resource?: { name: string } }> };
    expect(hpa.scaleTargetRef).toMatchObject({ kind: "Deployment", name: deployment.metadata.name });
    expect(hpa.minReplicas).toBeGreaterThanOrEqual(replicas);
    expect(hpa.metrics.map((m) => m.resource?.name)).toEqual(["cpu"]);
    const np = only(overlay, "NetworkPolicy").spec as { podSelector: { matchLabels: Record<string, string> } };
    expect(matches(np.podSelector.matchLabels, labels)).toBe(true);
  });

  test("the network policy lets in MCP on 8080 and metrics only from monitoring, and lets out DNS", () => {
    const spec = only(overlay, "NetworkPolicy").spec as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(spec.policyTypes).toEqual(["Ingress", "Egress"]);
    const ingress = spec.ingress as Array<{ from?: Array<Record<string, any>>; ports: Array<{ port: number }> }>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(ingress.map((r) => r.ports.map((p) => p.port))).toEqual([[8080], [9464]]);
    expect(ingress[1]!.from).toEqual([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }]);
    const dns = (spec.egress as Array<{ ports: Array<{ port: number; protocol: string }> }>).find((r) => r.ports.some((p) => p.port === 53));
    expect(dns?.ports).toEqual([
      { port: 53, protocol: "UDP" },
      { port: 53, protocol: "TCP" },
    ]);
  });

  test("the network policy's egress covers the registry and every host airlock.yaml grants, and nothing else", () => {
    const { file, configMap } = deploymentFile(overlay);
    const policyFile = (path: string) => {
      const text = (configMap.data as Record<string, string>)[path];
      if (text === undefined) throw new Error(`policy ${path} is not in ConfigMap ${configMap.metadata.name}`);
      return text;
    };
    const wanted = destinations(file, policyFile);
    expect(wanted.map((d) => d.name)).toEqual(expect.arrayContaining(["registry.example.com", "api.github.com"]));
    const policy = only(overlay, "NetworkPolicy");
    expect(egressProblems(wanted, policy)).toEqual([]);

    // The check fails when the two drift apart: a new grant, a stale name, an unexplained CIDR.
    const granted: DeploymentFile = structuredClone(file);
    (granted.components[0]!.policy as { permissions: { network: { allow: Array<{ host: string }> } } }).permissions.network.allow.push({ host: "api.openai.com" });
    expect(egressProblems(destinations(granted, policyFile), policy)).toEqual([`api.openai.com (granted to ${file.components[0]!.source}) has no CIDRs in airlock/egress-hosts`]);
    const fewer: DeploymentFile = { ...structuredClone(file), components: file.components.slice(1) };
    expect(egressProblems(destinations(fewer, policyFile), policy)).toEqual(["airlock/egress-hosts names api.github.com, which the deployment file neither loads from nor grants (stale entry?)"]);
    const extra = structuredClone(policy);
    (extra.spec as { egress: unknown[] }).egress.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] });
    expect(egressProblems(wanted, extra)).toEqual(["egress to 0.0.0.0/0 is not explained by any name in airlock/egress-hosts"]);
    const otherPort = destinations(parseDeploymentFile("version: 1\ncomponents: [{ source: 'oci://registry.example.com:5000/a@sha256:" + "a".repeat(64) + "' }]", "inline"), policyFile);
    expect(egressProblems(otherPort, policy)).toContain(
      "registry.example.com (the source of oci://registry.example.com:5000/a@sha256:" + "a".repeat(64) + "): no egress rule allows 203.0.113.10/32 on TCP 5000",
    );
  });

  test("the annotation's YAML parses to names and CIDR lists", () => {
    const annotation = only(overlay, "NetworkPolicy").metadata.annotations!["airlock/egress-hosts"]!;
    const declared = parse(annotation) as Record<string, string[]>;
    for (const [name, cidrs] of Object.entries(declared)) {
      expect(Array.isArray(cidrs), name).toBe(true);
      for (const cidr of cidrs) expect(cidr, name).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
    }
  });
});
