import { describe, expect, it } from "vitest";
import { formatReference, parseReference } from "../src/index.js";

const DIGEST = `sha256:${"a".repeat(64)}`;

describe("parseReference", () => {
  it("reads a tag, a digest, or both", () => {
    expect(parseReference("oci://127.0.0.1:5000/tools/grammar-checker:1.0")).toEqual({ registry: "127.0.0.1:5000", repository: "tools/grammar-checker", tag: "1.0" });
    expect(parseReference(`oci://ghcr.io/org/tool@${DIGEST}`)).toEqual({ registry: "ghcr.io", repository: "org/tool", digest: DIGEST });
    expect(parseReference(`oci://ghcr.io/org/tool:v2@${DIGEST}`)).toEqual({ registry: "ghcr.io", repository: "org/tool", tag: "v2", digest: DIGEST });
    expect(formatReference(parseReference(`oci://ghcr.io/org/tool:v2@${DIGEST}`))).toBe(`oci://ghcr.io/org/tool:v2@${DIGEST}`);
  });

  it.each([
    ["oci://ghcr.io/org/tool", "no tag or digest"],
    ["https://ghcr.io/org/tool:1", "not an oci:// reference"],
    ["oci://org-tool:1", "no registry host"],
    ["oci://ghcr.io/Org/Tool:1", "is not a repository name"],
    ["oci://ghcr.io/org/../etc:1", "is not a repository name"],
    ["oci://ghcr.io/org/tool@sha256:abc", "is not a sha256:<64 lowercase hex> digest"],
    ["oci://ghcr.io/org/tool@md5:" + "a".repeat(32), "digest"],
    ["oci://user:pw@ghcr.io/org/tool:1", "is not a registry host"],
    ["oci://ghcr.io/org/tool:-bad", "is not a valid tag"],
  ])("refuses %s with an error that shows the expected shape", (text, why) => {
    expect(() => parseReference(text)).toThrow(why);
    expect(() => parseReference(text)).toThrow("write it as oci://ghcr.io/org/tool:1.0");
  });
});
