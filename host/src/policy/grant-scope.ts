// Which directories a denial may suggest granting. A suggestion is pasted by people in a hurry,
// so it must be narrow: never the root, a system directory, the home directory itself, or a
// directory of credentials, where one grant would expose far more than the file asked for.
import { homedir } from "node:os";
import { posix } from "node:path";

/** Top-level directories that hold the system, or everyone's files. */
const SYSTEM = ["/", "/bin", "/boot", "/home", "/lib", "/lib32", "/lib64", "/media", "/mnt", "/opt", "/run", "/sbin", "/srv", "/tmp", "/usr", "/var", "/Users"];
/** Trees where any subdirectory is still the system's or secret. */
const SYSTEM_TREES = ["/etc", "/proc", "/sys", "/dev", "/root"];
/** Under the home directory: credentials and keys. */
const SECRET_IN_HOME = [".ssh", ".gnupg", ".aws", ".azure", ".kube", ".docker", ".config", ".netrc", ".password-store"];

/** Why granting `directory` should not be suggested, or undefined when it is narrow enough. */
export function broadGrantReason(directory: string, home = homedir()): string | undefined {
  const dir = posix.normalize(directory).replace(/(.)\/+$/, "$1");
  const within = (tree: string) => dir === tree || dir.startsWith(`${tree}/`);
  if (dir === "/") return "/ is the whole file system";
  const systemTree = SYSTEM_TREES.find(within);
  if (systemTree) return `${dir} is ${systemTree === "/root" ? "in the administrator's home directory" : "a system directory"}`;
  if (SYSTEM.includes(dir)) return `${dir} is a system-wide directory`;
  if (home && dir === posix.normalize(home)) return `${dir} is the home directory itself`;
  if (/^\/(home|Users)\/[^/]+$/.test(dir)) return `${dir} is a home directory`;
  const secret = home ? SECRET_IN_HOME.find((name) => within(posix.join(home, name))) : undefined;
  if (secret) return `${dir} holds credentials (~/${secret})`;
  return undefined;
}
