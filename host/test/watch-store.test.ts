// applyStore on a fake host: which components are reloaded, loaded, unloaded or left alone when
// the store changed under a running host.
import { describe, expect, it } from "vitest";
import { applyStore } from "../src/store/store-watcher.js";

interface Entry {
  id: string;
  sha256: string;
}

function fakeHost(stored: Entry[], loaded: Entry[], failing: Record<string, string> = {}) {
  const components = new Map(loaded.map((e) => [e.id, e]));
  const calls: string[] = [];
  const host = {
    store: { dir: "/unused", list: async () => stored },
    component: (id: string) => (components.has(id) ? { entry: components.get(id)! } : undefined),
    componentIds: () => [...components.keys()],
    loadOne: async (id: string) => {
      calls.push(`load ${id}`);
      components.delete(id);
      if (failing[id]) throw new Error(failing[id]);
      components.set(
        id,
        stored.find((e) => e.id === id)!,
      );
      return [];
    },
    unloadOne: async (id: string) => {
      calls.push(`unload ${id}`);
      return components.delete(id);
    },
  };
  return { host: host as never, calls, components };
}

describe("applyStore", () => {
  it("reloads a component whose sha256 changed, loads a new one, unloads a removed one, leaves the rest", async () => {
    const { host, calls } = fakeHost(
      [
        { id: "same", sha256: "a" },
        { id: "rebuilt", sha256: "new" },
        { id: "added", sha256: "c" },
      ],
      [
        { id: "same", sha256: "a" },
        { id: "rebuilt", sha256: "old" },
        { id: "removed", sha256: "d" },
      ],
    );
    expect(await applyStore(host)).toEqual({ loaded: ["rebuilt", "added"], unloaded: ["removed"] });
    expect(calls).toEqual(["load rebuilt", "load added", "unload removed"]);
  });

  it("reports nothing when the store matches what is loaded (a policy file or a rewrite of the same bytes)", async () => {
    const { host, calls } = fakeHost([{ id: "x", sha256: "a" }], [{ id: "x", sha256: "a" }]);
    expect(await applyStore(host)).toEqual({ loaded: [], unloaded: [] });
    expect(calls).toEqual([]);
  });

  it("warns about a component that cannot be read, and reports it gone only if it was being served", async () => {
    const warnings: string[] = [];
    const { host } = fakeHost(
      [
        { id: "broken-new", sha256: "b" },
        { id: "broken-rebuilt", sha256: "new" },
      ],
      [{ id: "broken-rebuilt", sha256: "old" }],
      { "broken-new": "not a component", "broken-rebuilt": "truncated" },
    );
    expect(await applyStore(host, (w) => warnings.push(w))).toEqual({ loaded: [], unloaded: ["broken-rebuilt"] });
    expect(warnings).toEqual(['could not reload component "broken-new": not a component', 'could not reload component "broken-rebuilt": truncated']);
  });
});
