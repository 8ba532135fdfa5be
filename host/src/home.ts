// Where Airlock keeps its state: $AIRLOCK_HOME, default ~/.local/share/airlock; transpiled
// components in $AIRLOCK_CACHE_DIR/transpiled when that is set.
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export interface AirlockHome {
  root: string;
  components: string;
  transpileCache: string;
}

export function airlockHome(env: NodeJS.ProcessEnv = process.env): AirlockHome {
  const root = resolve(env.AIRLOCK_HOME || join(homedir(), ".local", "share", "airlock"));
  return {
    root,
    components: join(root, "components"),
    // Transpiled components are derived from their bytes and keyed by sha256, so stores may share
    // them: $AIRLOCK_CACHE_DIR (a CI machine's many test stores, say) saves seconds per load.
    transpileCache: env.AIRLOCK_CACHE_DIR ? join(resolve(env.AIRLOCK_CACHE_DIR), "transpiled") : join(root, "cache", "transpiled"),
  };
}
