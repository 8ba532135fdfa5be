// A guest's report of a path it could not even try (airlock:tool/access outside-grants), as a
// denial to audit and explain. The guest names the directory to suggest; it is only believed
// when it holds the path, so a guest cannot make the host suggest granting anything else.
import { posix } from "node:path";
import type { Decision } from "./decisions.js";

export function outsideGrantsDecision(path: string, directory: string, access: string): Decision {
  const mode = access === "write" ? "write" : "read";
  const target = posix.normalize(path);
  const dir = posix.normalize(directory).replace(/(.)\/+$/, "$1");
  const holds = posix.isAbsolute(target) && posix.isAbsolute(dir) && (target === dir || target.startsWith(dir === "/" ? "/" : `${dir}/`));
  return {
    kind: "file",
    target,
    mode,
    allowed: false,
    reason: "the path is outside every granted directory",
    ...(holds ? { grant: { kind: "storage" as const, path: dir, access: mode === "write" ? (["read", "write"] as const).slice() : ["read" as const] } } : {}),
  };
}
