// Vitest global setup: every test store of this run shares one transpile cache
// ($AIRLOCK_CACHE_DIR), so a fixture is transpiled once per run, not once per store (loading a
// component into a fresh store takes seconds, from a warm cache a fraction of one). The first
// load of each fixture still takes the cold path. Set before the test workers start, so every
// process they spawn inherits it.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.AIRLOCK_CACHE_DIR) return async () => undefined;
  const dir = await mkdtemp(join(tmpdir(), "airlock-test-cache-"));
  process.env.AIRLOCK_CACHE_DIR = dir;
  return () => rm(dir, { recursive: true, force: true });
}
