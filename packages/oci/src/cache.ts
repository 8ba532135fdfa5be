// A content-addressed cache of pulled blobs and manifests: blobs/sha256/<hex>, written to a
// temporary name and renamed, and re-hashed when read (a corrupted cache is a miss, not a
// component). referrers/<repository key>/sha256-<hex>.json records the signature bundles found
// for a manifest in one repository (a signature holds only for the repository it names).
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { createHash } from "node:crypto";
import { sha256Digest } from "./digest.js";
import { isDigest } from "./reference.js";

export class BlobCache {
  constructor(readonly dir: string) {}

  private blobPath(digest: string): string {
    if (!isDigest(digest)) throw new Error(`not a sha256 digest: ${digest}`);
    return join(this.dir, "blobs", "sha256", digest.slice("sha256:".length));
  }

  async get(digest: string): Promise<Uint8Array | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(this.blobPath(digest));
    } catch {
      return undefined;
    }
    if (sha256Digest(bytes) === digest) return bytes;
    await rm(this.blobPath(digest), { force: true });
    return undefined;
  }

  async put(digest: string, bytes: Uint8Array): Promise<void> {
    await writeAtomically(this.blobPath(digest), bytes);
  }

  /** The digests of the signature bundles recorded for a manifest in a repository (`registry/repository`), or undefined if never looked up. */
  async referrers(subject: string, repository: string): Promise<string[] | undefined> {
    try {
      const list = JSON.parse(await readFile(this.referrersPath(subject, repository), "utf8")) as unknown;
      return Array.isArray(list) ? list.filter((d): d is string => typeof d === "string" && isDigest(d)) : undefined;
    } catch {
      return undefined;
    }
  }

  async setReferrers(subject: string, bundles: string[], repository: string): Promise<void> {
    await writeAtomically(this.referrersPath(subject, repository), JSON.stringify(bundles));
  }

  private referrersPath(subject: string, repository: string): string {
    if (!isDigest(subject)) throw new Error(`not a sha256 digest: ${subject}`);
    const key = createHash("sha256").update(repository).digest("hex").slice(0, 32);
    return join(this.dir, "referrers", key, `sha256-${subject.slice("sha256:".length)}.json`);
  }
}

async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temp, data);
  await rename(temp, path);
}
