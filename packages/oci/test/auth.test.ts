// Authentication against real registries: htpasswd Basic auth, and the Bearer token flow with a
// token server (as ghcr.io and Docker Hub do it). Credentials come from a Docker config file.
import { rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialsFor, parseChallenge, parseReference, publishComponent, pullComponent, RegistryClient } from "../src/index.js";
import { COMPONENT, DESCRIBE, dockerConfig, refusal } from "./helpers/artifacts.js";
import { PASSWORD, READER, startRegistry, USER, type Registry } from "../src/testing/registry.js";

const auth = (user: string, password: string) => ({ auth: Buffer.from(`${user}:${password}`).toString("base64") });

describe("Docker config credentials", () => {
  it("reads auths by host, by https:// URL, and username/password entries", async () => {
    const file = await dockerConfig({ "a.example:5000": auth("u", "p:with:colons"), "https://b.example": { username: "v", password: "q" } });
    try {
      expect(await credentialsFor("a.example:5000", file)).toEqual({ username: "u", password: "p:with:colons" });
      expect(await credentialsFor("b.example", file)).toEqual({ username: "v", password: "q" });
      expect(await credentialsFor("c.example", file)).toBeUndefined();
      expect(await credentialsFor("x", "/nonexistent/config.json")).toBeUndefined();
    } finally {
      await rm(dirname(file), { recursive: true, force: true });
    }
  });

  it("reports a malformed Docker config by file and place only, never quoting it (a base64 password leak)", async () => {
    const secret = Buffer.from("alice:TopSecretPassw0rd").toString("base64");
    const file = await dockerConfig({});
    try {
      await writeFile(file, `{"auths":{"h":{"auth":${secret}}}}`);
      const unquoted = await refusal(credentialsFor("h", file));
      expect(unquoted.code).toBe("AUTH_FAILED");
      expect(unquoted.message).toBe(`the Docker config ${file} is not valid JSON: fix or remove it`);
      await writeFile(file, `{\n  "auths": {"h": {"auth": "${secret}",}}}`);
      const placed = await refusal(credentialsFor("h", file));
      expect(placed.message).toBe(`the Docker config ${file} is not valid JSON (line 2, column ${`  "auths": {"h": {"auth": "${secret}",`.length + 1}): fix or remove it`);
      for (const error of [unquoted, placed]) for (let i = 0; i + 4 <= secret.length; i++) expect(error.message).not.toContain(secret.slice(i, i + 4));
    } finally {
      await rm(dirname(file), { recursive: true, force: true });
    }
  });

  it("parses challenges with quoted commas", () => {
    expect(parseChallenge('Bearer realm="http://t/token",service="reg",scope="repository:a/b:pull,push"')).toEqual({
      scheme: "bearer",
      params: { realm: "http://t/token", service: "reg", scope: "repository:a/b:pull,push" },
    });
  });
});

for (const kind of ["basic", "bearer"] as const) {
  describe(`${kind} auth`, () => {
    let registry: Registry;
    beforeAll(async () => {
      registry = await startRegistry(kind);
    });
    afterAll(() => registry?.stop());
    const ref = (tag: string) => parseReference(`oci://${registry.host}/team/tool:${tag}`);
    const withCreds = (user: string, password: string) => new RegistryClient({ credentials: async () => ({ username: user, password }) });

    it("publishes and pulls with the right credentials", async () => {
      const client = withCreds(USER, PASSWORD);
      const published = await publishComponent(client, ref("1.0"), { component: COMPONENT, describe: DESCRIBE });
      expect((await pullComponent(client, ref("1.0"))).digest).toBe(published.digest);
    });

    it("refuses bad credentials with a clear auth error naming the registry", async () => {
      const error = await refusal(pullComponent(withCreds(USER, "wrong"), ref("1.0")));
      expect(error.code).toBe("AUTH_FAILED");
      expect(error.message).toMatch(new RegExp(`^authentication failed for ${registry.host} \\(401\\): .*check the credentials`));
    });

    it("refuses anonymous access with a clear auth error", async () => {
      const error = await refusal(pullComponent(new RegistryClient({ credentials: async () => undefined }), ref("1.0")));
      expect(error.code).toBe("AUTH_FAILED");
    });

    it("reads credentials from $DOCKER_CONFIG", async () => {
      const file = await dockerConfig({ [registry.host]: auth(USER, PASSWORD) });
      const previous = process.env.DOCKER_CONFIG;
      process.env.DOCKER_CONFIG = dirname(file);
      try {
        expect((await pullComponent(new RegistryClient(), ref("1.0"))).component.length).toBe(COMPONENT.length);
      } finally {
        if (previous === undefined) delete process.env.DOCKER_CONFIG;
        else process.env.DOCKER_CONFIG = previous;
        await rm(dirname(file), { recursive: true, force: true });
      }
    });

    if (kind === "bearer") {
      it("reuses a token per repository and scope instead of asking for one per request", async () => {
        const client = withCreds(USER, PASSWORD);
        const before = registry.tokenServer!.requests.length;
        await pullComponent(client, ref("1.0"));
        await pullComponent(client, ref("1.0"));
        const asked = registry.tokenServer!.requests.slice(before);
        expect(asked).toEqual(["repository:team/tool:pull"]);
      });

      it("refuses a push with a pull-only token (insufficient_scope) with a clear auth error", async () => {
        const reader = withCreds(READER.user, READER.password);
        expect((await pullComponent(reader, ref("1.0"))).component.length).toBe(COMPONENT.length);
        const error = await refusal(publishComponent(reader, ref("2.0"), { component: Buffer.concat([COMPONENT, Buffer.from("z")]), describe: DESCRIBE }));
        expect(error.code).toBe("AUTH_FAILED");
        expect(error.message).toContain("the token does not allow repository:team/tool:pull,push");
      });
    }
  });
}
