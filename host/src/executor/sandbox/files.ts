// Read-only grants and the audit of file access, layered over preview2-shim's filesystem. The
// shim confines paths to the preopened directories (no `..` above a preopen, no absolute paths,
// no symlinks leading out); it has no read-only mode, so every mutating operation on a
// descriptor that comes from a read-only grant is refused here with `read-only`.
// One worker serves one component, so patching the worker's Descriptor class affects no one else.
import { posix } from "node:path";
import type { DecisionRecorder } from "./decisions.js";

interface Origin {
  /** Host path the descriptor stands for. */
  path: string;
  /** The grant it comes from. */
  grant: string;
  write: boolean;
}

type Method = (this: object, ...args: unknown[]) => unknown;

/** Methods that change the filesystem, with the argument holding the path they act on (if any). */
const MUTATING: Record<string, number | undefined> = {
  writeViaStream: undefined,
  appendViaStream: undefined,
  setSize: undefined,
  setTimes: undefined,
  write: undefined,
  createDirectoryAt: 0,
  setTimesAt: 1,
  linkAt: 1,
  removeDirectoryAt: 0,
  renameAt: 0,
  symlinkAt: 1,
  unlinkFileAt: 0,
};

const origins = new WeakMap<object, Origin>();
let patched: DecisionRecorder | undefined;

/** Registers the preopened directories of a new instance with their grants. */
export function registerPreopens(entries: [object, string][], grants: { path: string; write: boolean }[]): void {
  for (const [descriptor, path] of entries) {
    const grant = grants.find((g) => g.path === path);
    origins.set(descriptor, { path, grant: path, write: grant?.write ?? false });
  }
}

export function confineDescriptors(descriptorClass: { prototype: Record<string, Method> }, recorder: DecisionRecorder): void {
  if (patched) return;
  patched = recorder;
  const proto = descriptorClass.prototype;

  const openAt = proto.openAt!;
  proto.openAt = function (this: object, ...args: unknown[]) {
    const [, path, openFlags, flags] = args as [unknown, string, Record<string, boolean>, Record<string, boolean>];
    const origin = origins.get(this);
    const target = origin ? posix.join(origin.path, path) : path;
    const wantsWrite = Boolean(openFlags.create || openFlags.truncate || openFlags.exclusive || flags.write || flags.mutateDirectory);
    const mode = wantsWrite ? "write" : "read";
    if (origin && wantsWrite && !origin.write) {
      denyReadOnly(recorder, origin, target);
      throw "read-only";
    }
    try {
      const opened = openAt.apply(this, args) as object;
      if (origin) origins.set(opened, { ...origin, path: target });
      recorder.record({ kind: "file", target, mode, allowed: true });
      return opened;
    } catch (error) {
      if (error === "not-permitted" || error === "access") {
        recorder.record({ kind: "file", target, mode, allowed: false, reason: "the path leads outside the granted directory (.., an absolute path or a symlink)" });
      }
      throw error;
    }
  };

  for (const [name, pathArg] of Object.entries(MUTATING)) {
    const original = proto[name];
    if (!original) continue;
    proto[name] = function (this: object, ...args: unknown[]) {
      const origin = origins.get(this);
      const target = origin && pathArg !== undefined ? posix.join(origin.path, String(args[pathArg])) : (origin?.path ?? "(unknown)");
      if (origin && !origin.write) {
        denyReadOnly(recorder, origin, target);
        throw "read-only";
      }
      recorder.record({ kind: "file", target, mode: "write", allowed: true });
      return original.apply(this, args);
    };
  }
}

function denyReadOnly(recorder: DecisionRecorder, origin: Origin, target: string): void {
  recorder.record({
    kind: "file",
    target,
    mode: "write",
    allowed: false,
    reason: `the grant on ${origin.grant} is read only`,
    grant: { kind: "storage", path: origin.grant, access: ["read", "write"] },
  });
}
