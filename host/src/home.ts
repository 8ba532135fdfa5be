// Where Airlock keeps its state: $AIRLOCK_HOME, default ~/.local/share/airlock.
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
    transpileCache: join(root, "cache", "transpiled"),
  };
}
