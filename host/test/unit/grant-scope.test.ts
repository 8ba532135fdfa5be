// Which directories a denial may suggest granting, and what a guest's report is believed about.
import { describe, expect, it } from "vitest";
import { broadGrantReason } from "../../src/policy/grant-scope.js";
import { outsideGrantsDecision } from "../../src/executor/sandbox/outside-grants.js";

describe("broadGrantReason", () => {
  it.each([
    ["/", "/ is the whole file system"],
    ["/etc", "/etc is a system directory"],
    ["/etc/ssh/", "/etc/ssh is a system directory"],
    ["/usr", "/usr is a system-wide directory"],
    ["/tmp", "/tmp is a system-wide directory"],
    ["/home", "/home is a system-wide directory"],
    ["/home/me", "/home/me is the home directory itself"],
    ["/home/bob", "/home/bob is a home directory"],
    ["/home/me/.ssh", "/home/me/.ssh holds credentials (~/.ssh)"],
    ["/home/me/.aws/sso", "/home/me/.aws/sso holds credentials (~/.aws)"],
    ["/root/x", "/root/x is in the administrator's home directory"],
  ])("%s: %s", (dir, reason) => {
    expect(broadGrantReason(dir, "/home/me")).toBe(reason);
  });

  it.each(["/home/me/notes", "/tmp/x", "/srv/data/reports", "/home/me/.sshkeys-backup-not-really", "/var/lib/app/cache"])("%s is narrow enough", (dir) => {
    expect(broadGrantReason(dir, "/home/me")).toBeUndefined();
  });
});

describe("outsideGrantsDecision (a guest's report)", () => {
  it("suggests the directory the guest names when it holds the path", () => {
    expect(outsideGrantsDecision("/data/a/b.txt", "/data/a", "read")).toMatchObject({
      kind: "file",
      target: "/data/a/b.txt",
      allowed: false,
      grant: { kind: "storage", path: "/data/a", access: ["read"] },
    });
    expect(outsideGrantsDecision("/data/a", "/data/a/", "read").grant).toEqual({ kind: "storage", path: "/data/a", access: ["read"] });
  });

  it("a directory that does not hold the path, or a relative one, is recorded without a suggestion", () => {
    expect(outsideGrantsDecision("/tmp/x.txt", "/home/me/private", "read").grant).toBeUndefined();
    expect(outsideGrantsDecision("/data2/x", "/data", "read").grant).toBeUndefined();
    expect(outsideGrantsDecision("/data/../home/me/x", "/data", "read")).toMatchObject({ target: "/home/me/x" });
    expect(outsideGrantsDecision("/data/../home/me/x", "/data", "read").grant).toBeUndefined();
    expect(outsideGrantsDecision("x.txt", ".", "write").grant).toBeUndefined();
  });
});
