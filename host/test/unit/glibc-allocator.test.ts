// What `serve` asks of glibc's allocator: decided from the environment and the OS alone.
import { describe, expect, it } from "vitest";
import { allocatorTuning } from "../../src/glibc-allocator.js";

describe("allocatorTuning", () => {
  it("caps the arenas at two and fixes the mmap threshold at glibc's default, on Linux", () => {
    expect(allocatorTuning({}, "linux")).toEqual({ arenaMax: 2, mmapThresholdBytes: 131072 });
  });

  it("leaves what the environment sets as it is, and says which setting", () => {
    expect(allocatorTuning({ MALLOC_ARENA_MAX: "8" }, "linux")).toEqual({ leftAsIs: "the environment sets MALLOC_ARENA_MAX" });
    expect(allocatorTuning({ MALLOC_ARENA_MAX: "2", MALLOC_MMAP_THRESHOLD_: "131072" }, "linux")).toEqual({ leftAsIs: "the environment sets MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_" });
    expect(allocatorTuning({ GLIBC_TUNABLES: "glibc.malloc.arena_max=4" }, "linux")).toEqual({ leftAsIs: "the environment sets GLIBC_TUNABLES" });
    // Tunables of other parts of glibc are no choice about the allocator.
    expect(allocatorTuning({ GLIBC_TUNABLES: "glibc.cpu.hwcaps=-AVX2" }, "linux")).toEqual({ arenaMax: 2, mmapThresholdBytes: 131072 });
  });

  it("leaves other systems' allocators alone", () => {
    expect(allocatorTuning({}, "darwin")).toEqual({ leftAsIs: "the allocator is darwin's, not glibc's" });
  });
});
