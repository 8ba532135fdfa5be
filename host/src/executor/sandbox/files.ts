// Read-only grants and the audit of file access, layered over preview2-shim's filesystem. The
// shim confines paths to the preopened directories (no `..` above a preopen, no absolute paths,
// no symlinks leading out) but has no read-only mode, and its directory descriptors are only
// paths that it resolves again on every use. So here:
// - every mutating operation on a descriptor from a read-only grant (or without a known grant)
//   is refused with `read-only`, and so is a rename or link *into* one;
// - a directory descriptor is re-checked before each use: if its path no longer resolves to the
//   directory it was opened as (swapped for a symlink), the call is refused;
// - guests cannot create symlinks at all.
// One worker serves one component, so patching the worker's Descriptor class affects no one else.
import { realpathSync, statSync } from "node:fs";
import { posix } from "node:path";
import type { DecisionRecorder } from "./decisions.js";

interface Origin {
  /** Canonical host path the descriptor stands for (its realpath when opened). */
  path: string;
  /** The grant it comes from, and that grant's realpath. */
  grant: string;
  grantReal: string;
  write: boolean;
  preopen: boolean;
}

type Method = (this: object, ...args: unknown[]) => unknown;

/** Methods that change the filesystem: [path argument, destination descriptor argument]. */
const MUTATING: Record<string, [number | undefined, number | undefined]> = {
  writeViaStream: [undefined, undefined],
  appendViaStream: [undefined, undefined],
  setSize: [undefined, undefined],
  setTimes: [undefined, undefined],
  write: [undefined, undefined],
  createDirectoryAt: [0, undefined],
  setTimesAt: [1, undefined],
  linkAt: [1, 2],
  removeDirectoryAt: [0, undefined],
  renameAt: [0, 1],
  unlinkFileAt: [0, undefined],
};

/** Methods that resolve a path from the descriptor's own path: re-checked before each use. */
const PATH_BASED = ["openAt", "statAt", "readlinkAt", "metadataHashAt", "readDirectory", ...Object.keys(MUTATING).filter((m) => m.endsWith("At"))];

const origins = new WeakMap<object, Origin>();
let patched = false;
let activeRecorder: DecisionRecorder | undefined;

function realpath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

type StorageGrant = { path: string; access: ("read" | "write")[] };

/** The grant that would allow `target` (outside every grant): its directory, as it really is. */
function grantFor(target: string, mode: string): StorageGrant {
  const real = realpath(target) ?? posix.normalize(target);
  let directory = posix.dirname(real);
  try {
    if (statSync(real).isDirectory()) directory = real;
  } catch {
    // It does not exist (yet): its directory is what to grant.
  }
  return { path: directory, access: mode === "write" ? ["read", "write"] : ["read"] };
}

function within(path: string, root: string): boolean {
  return path === root || path.startsWith(root === "/" ? "/" : `${root}/`);
}

/** Registers the preopened directories of a new instance with their grants. */
export function registerPreopens(entries: [object, string][], grants: { path: string; write: boolean }[]): void {
  for (const [descriptor, path] of entries) {
    const grant = grants.find((g) => g.path === path);
    const real = realpath(path) ?? path;
    origins.set(descriptor, { path: real, grant: path, grantReal: real, write: grant?.write ?? false, preopen: true });
  }
}

export function confineDescriptors(descriptorClass: { prototype: Record<string, Method> }, decisions: DecisionRecorder): void {
  activeRecorder = decisions;
  if (patched) return;
  patched = true;
  const recorder = { record: (d: Parameters<DecisionRecorder["record"]>[0]) => activeRecorder?.record(d) };
  const proto = descriptorClass.prototype;

  const deny = (target: string, mode: string, reason: string, grant?: StorageGrant) => {
    recorder.record({ kind: "file", target, mode, allowed: false, reason, ...(grant ? { grant: { kind: "storage" as const, ...grant } } : {}) });
  };
  const writable = (origin: Origin): StorageGrant => ({ path: origin.grant, access: ["read", "write"] });
  const ESCAPE = "the path leads outside the granted directory (.., an absolute path or a symlink)";

  /**
   * The descriptor's origin, if its path still resolves to what it was opened as (a preopen to
   * its grant). Paths with a backslash are refused: the shim reads `\` as `/`, this layer would
   * not, and the two must agree on every path.
   */
  const checked = (descriptor: object, mode: string, args: unknown[] = []): Origin => {
    const origin = origins.get(descriptor);
    if (!origin) {
      deny("(unknown descriptor)", mode, "the descriptor does not come from a grant");
      throw "not-permitted";
    }
    const now = realpath(origin.preopen ? origin.grant : origin.path);
    if (now !== origin.path || !within(now, origin.grantReal)) {
      deny(origin.path, mode, "the directory was replaced after it was opened (a symlink swap)");
      throw "not-permitted";
    }
    for (const arg of args) {
      if (typeof arg === "string" && arg.includes("\\")) {
        deny(posix.join(origin.path, arg), mode, "paths with a backslash are not allowed");
        throw "not-permitted";
      }
    }
    return origin;
  };

  for (const name of PATH_BASED) {
    const original = proto[name];
    if (!original || name === "openAt" || name in MUTATING) continue;
    proto[name] = function (this: object, ...args: unknown[]) {
      const origin = checked(this, "read", args);
      try {
        return original.apply(this, args);
      } catch (error) {
        // The shim refuses paths that climb out of the preopen: record it like any denial.
        const path = args.find((a): a is string => typeof a === "string");
        if ((error === "not-permitted" || error === "access") && path !== undefined) {
          const target = posix.join(origin.path, path);
          deny(target, "read", ESCAPE, grantFor(target, "read"));
        }
        throw error;
      }
    };
  }

  const openAt = proto.openAt!;
  proto.openAt = function (this: object, ...args: unknown[]) {
    const [, path, openFlags, flags] = args as [unknown, string, Record<string, boolean>, Record<string, boolean>];
    const wantsWrite = Boolean(openFlags.create || openFlags.truncate || openFlags.exclusive || flags.write || flags.mutateDirectory);
    const mode = wantsWrite ? "write" : "read";
    const origin = checked(this, mode, args);
    const target = posix.join(origin.path, String(path));
    if (wantsWrite && !origin.write) {
      deny(target, "write", `the grant on ${origin.grant} is read only`, writable(origin));
      throw "read-only";
    }
    // Creating or truncating acts before the open returns: check where it would act first.
    const parent = realpath(posix.dirname(target));
    if (wantsWrite && (!parent || !within(parent, origin.grantReal))) {
      deny(target, mode, "the path leads outside the granted directory", grantFor(target, mode));
      throw "not-permitted";
    }
    let opened: object;
    try {
      opened = openAt.apply(this, args) as object;
    } catch (error) {
      if (error === "not-permitted" || error === "access") deny(target, mode, ESCAPE, grantFor(target, mode));
      throw error;
    }
    const real = realpath(target);
    if (!real || !within(real, origin.grantReal)) {
      deny(target, mode, "the path leads outside the granted directory", grantFor(target, mode));
      throw "not-permitted";
    }
    origins.set(opened, { ...origin, path: real, preopen: false });
    recorder.record({ kind: "file", target: real, mode, allowed: true });
    return opened;
  };

  for (const [name, [pathArg, destinationArg]] of Object.entries(MUTATING)) {
    const original = proto[name];
    if (!original) continue;
    proto[name] = function (this: object, ...args: unknown[]) {
      const origin = checked(this, "write", args);
      const target = pathArg !== undefined ? posix.join(origin.path, String(args[pathArg])) : origin.path;
      if (!origin.write) {
        deny(target, "write", `the grant on ${origin.grant} is read only`, writable(origin));
        throw "read-only";
      }
      if (destinationArg !== undefined) {
        // rename and link write into a second directory: it needs a write grant too.
        const destination = checked(args[destinationArg] as object, "write", args);
        const destinationTarget = posix.join(destination.path, String(args[destinationArg + 1]));
        if (!destination.write) {
          deny(destinationTarget, "write", `the grant on ${destination.grant} is read only`, writable(destination));
          throw "read-only";
        }
      }
      recorder.record({ kind: "file", target, mode: "write", allowed: true });
      return original.apply(this, args);
    };
  }

  proto.symlinkAt = function (this: object, ...args: unknown[]) {
    const origin = checked(this, "write");
    deny(posix.join(origin.path, String(args[1])), "write", "components cannot create symbolic links");
    throw "not-permitted";
  };
}
