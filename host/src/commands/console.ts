// airlock console [--port N]: the permission console and MCP over Streamable HTTP for the local
// store, on 127.0.0.1 only. It opens nothing by itself: the login URL is printed on stderr.
import { UsageError } from "../errors.js";
import { serve } from "./serve.js";

export const DEFAULT_CONSOLE_PORT = 7331;

export async function consoleCommand(args: string[]): Promise<void> {
  let port = DEFAULT_CONSOLE_PORT;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--port") {
      const value = args[++i];
      if (value === undefined || !/^\d{1,5}$/.test(value) || Number(value) > 65535) {
        throw new UsageError(`--port needs a port number from 0 to 65535 (0 picks a free one)${value === undefined ? "" : `; got "${value}"`}`);
      }
      port = Number(value);
    } else throw new UsageError(`unexpected argument "${arg}" for console: usage: airlock console [--port N]`);
  }
  await serve(["--http", `127.0.0.1:${port}`]);
}
