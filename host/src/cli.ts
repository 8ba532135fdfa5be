#!/usr/bin/env node
// The airlock command. One top-level catch turns errors into one line on stderr and an exit
// code: 1 for a user error, 2 for bad usage.
import { UsageError, UserError } from "./errors.js";
import { tuneAllocator } from "./glibc-allocator.js";

const USAGE = `usage: airlock <command>
  serve [limits]                        serve the loaded components as MCP tools over stdio
  serve --http HOST:PORT [--no-auth]    ... or over Streamable HTTP at /mcp; clients send the bearer
        [--allowed-host NAME[:PORT]]    token in $AIRLOCK_HOME/http-token; --allowed-host adds a Host
                                        a reverse proxy sends (repeatable)
        [--close-streams-after 30s]     a call still running then has its SSE stream closed; the
                                        client reconnects and resumes (SEP-1699 polling)
        [--metrics HOST:PORT]           serve Prometheus metrics at GET /metrics on a listener of its own
        [--audit stdout|file]           audit records as JSON lines on stdout (for a log collector), or
                                        in $AIRLOCK_HOME/audit.jsonl (the default); traces: OTEL_* variables
                                        limits: --timeout 30s --memory 256Mi --max-result 1Mi --max-input 1Mi --workers N --max-queue 64
                                        --idle-stop 5m (a component's idle worker is stopped; off keeps it)
        [--config airlock.yaml]         serve what a deployment file names (components by digest,
                                        grants, limits); /healthz and /readyz for probes; the file
                                        is applied again on SIGHUP or when it changes;
                                        the permission console is served at /console (its one-time
                                        login URL is printed on stderr)
  console [--port N]                    the permission console (and MCP over HTTP) for this store on
                                        127.0.0.1:N (default 7331); prints the login URL, opens nothing
  load <uri> [--policy FILE]            add a component to the store ($AIRLOCK_HOME); <uri> is a path,
                                        file://, oci://registry/repo:tag, oci://registry/repo@sha256:...
                                        or https://.../x.wasm#sha256=<hex>
  list                                  list loaded components, their tools and resolved digests
  unload <id>                           remove a component from the store
  inspect <id|file.wasm>                show a component's tools, schemas and WIT
  call <id> <tool> --args '<json>'      run one tool without MCP
  grant <id> storage <path> --access read[,write] [--strict] | grant <id> network <host> | grant <id> env <KEY>
  revoke <id> storage <path> | revoke <id> network <host> | revoke <id> env <KEY> | revoke <id> all
  policy <id>                           show a component's effective policy
  audit [<id>]                          show recorded capability decisions
  publish <file.wasm> oci://<registry>/<repo>:<tag> [--sign KEY.pem] [--policy FILE]
                                        push a component (and the permissions it requests) to a registry
  trust add <key.pub> | list | remove <name> | require | optional
                                        public keys trusted for signed oci:// components
  deployment check <airlock.yaml>       check a deployment file (policies, keys, token files) as
                                        serve --config would, without starting anything`;

// Each command's module is imported only when it runs: the MCP SDK, express and sigstore cost
// most of a second to import, and `airlock list` needs none of them.
const commands: Record<string, (args: string[]) => Promise<void>> = {
  // glibc's allocator is tuned before anything much is allocated (glibc-allocator.ts).
  serve: async (args) => {
    const tuned = tuneAllocator();
    return (await import("./commands/serve.js")).serve(args, tuned);
  },
  console: async (args) => (await import("./commands/console.js")).consoleCommand(args),
  load: async (args) => (await import("./commands/components.js")).load(args),
  list: async (args) => (await import("./commands/components.js")).list(args),
  unload: async (args) => (await import("./commands/components.js")).unload(args),
  inspect: async (args) => (await import("./commands/components.js")).inspect(args),
  call: async (args) => (await import("./commands/call.js")).call(args),
  grant: async (args) => (await import("./commands/policy.js")).grant(args),
  revoke: async (args) => (await import("./commands/policy.js")).revoke(args),
  policy: async (args) => (await import("./commands/policy.js")).policy(args),
  audit: async (args) => (await import("./commands/audit.js")).audit(args),
  publish: async (args) => (await import("./commands/publish.js")).publish(args),
  trust: async (args) => (await import("./commands/trust.js")).trust(args),
  deployment: async (args) => (await import("./commands/deployment.js")).deployment(args),
};

const [command, ...args] = process.argv.slice(2);
try {
  if (!command || command === "--help" || command === "-h" || command === "help" || args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    process.exitCode = command ? 0 : 2;
  } else {
    const run = commands[command];
    if (!run) throw new UsageError(`unknown command "${command}"\n${USAGE}`);
    await run(args);
  }
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`airlock: ${error.message}`);
    process.exitCode = 2;
  } else if (error instanceof UserError) {
    console.error(`airlock: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
