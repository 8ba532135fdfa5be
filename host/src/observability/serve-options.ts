// What `serve` offers a cluster's monitoring, from flags (--metrics HOST:PORT, --audit stdout|file)
// or from the same options set by other code (a config file): a metrics listener, audit records
// on stdout, and traces when the OpenTelemetry environment asks for them (tracing.ts).
import type { Server } from "node:http";
import type { AuditDestination } from "../audit/audit-log.js";
import type { HostOptions } from "../component-host.js";
import { UsageError, UserError } from "../errors.js";
import type { HostMetrics } from "./metrics.js";
import type { Listen } from "./metrics-server.js";
import { startTracing, tracingRequested } from "./tracing.js";

export interface ObservabilityOptions {
  /** Where GET /metrics is served (`HOST:PORT`, port 0 picks a free one): only beside --http. */
  metricsListen?: string | Listen;
  /** Where audit records go: "file" ($AIRLOCK_HOME/audit.jsonl, the default) or "stdout" (only beside --http). */
  audit?: AuditDestination;
}

/** Takes --metrics and --audit out of `args`; returns them and the remaining arguments. */
export function takeObservabilityFlags(args: string[]): { observability: ObservabilityOptions; rest: string[] } {
  const observability: ObservabilityOptions = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--metrics") observability.metricsListen = parseMetricsListen(args[++i]);
    else if (arg === "--audit") observability.audit = parseAudit(args[++i]);
    else rest.push(arg);
  }
  return { observability, rest };
}

/** Usage errors for what only HTTP serving can do; call before anything is started. */
export function checkObservability(options: ObservabilityOptions, servesHttp: boolean): void {
  if (servesHttp) return;
  if (options.metricsListen !== undefined) throw new UsageError("--metrics only applies to --http: serve with --http HOST:PORT to expose metrics");
  if (options.audit === "stdout") {
    throw new UsageError("--audit stdout only applies to --http: over stdio, stdout carries the MCP protocol; keep --audit file (records in $AIRLOCK_HOME/audit.jsonl) or serve with --http");
  }
}

export interface Observability {
  /** The metrics, when a listener was asked for (also host.metrics): a rate limiter counts its refusals with callRefused. */
  metrics: HostMetrics | undefined;
  /** For the ComponentHost: the metrics to count into, and where audit records go. */
  hostOptions: Pick<HostOptions, "metrics" | "auditTo">;
  /** Starts the metrics listener, if one was asked for: resolves with its URL. */
  listen(): Promise<string | undefined>;
  /** Closes the metrics listener and exports the spans still buffered. */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing (when the OpenTelemetry environment asks for it) and makes the metrics (when a
 * listener is asked for). `serve` calls it before the host is made, and listen() once it serves.
 */
export async function startObservability(options: ObservabilityOptions, onWarning: (message: string) => void): Promise<Observability> {
  if (tracingRequested(process.env)) warnOfOtherProtocols(process.env, onWarning);
  const tracing = await startTracing();
  const listenAt = typeof options.metricsListen === "string" ? parseMetricsListen(options.metricsListen) : options.metricsListen;
  // prom-client costs a few hundred milliseconds to import: only a server with a listener pays for it.
  const metrics = listenAt ? new (await import("./metrics.js")).HostMetrics() : undefined;
  let server: Server | undefined;
  return {
    metrics,
    hostOptions: { ...(metrics ? { metrics } : {}), ...(options.audit ? { auditTo: options.audit } : {}) },
    async listen() {
      if (!metrics || !listenAt) return undefined;
      const { startMetricsServer } = await import("./metrics-server.js");
      server = await startMetricsServer(metrics, listenAt).catch((error: Error) => {
        throw new UserError(`cannot listen for --metrics on ${listenAt.hostname}:${listenAt.port}: ${error.message}: pick another address or port (port 0 picks a free one)`);
      });
      if (!isLoopback(listenAt.hostname)) {
        onWarning(
          `WARNING: serving metrics on ${listenAt.hostname}, which other machines can reach, with no authentication: the bind address is the metrics listener's only protection. ` +
            `Bind it to an address only the monitoring network reaches, or to loopback (e.g. --metrics 127.0.0.1:9464)`,
        );
      }
      return `http://${listenAt.hostname}:${(server.address() as { port: number }).port}/metrics`;
    },
    async shutdown() {
      server?.close();
      await tracing?.shutdown().catch((error: Error) => onWarning(`traces could not be exported: ${error.message}`));
    },
  };
}

/** `127.0.0.1:9464`, `[::1]:0` or `9464` (on 127.0.0.1), as for --http. */
export function parseMetricsListen(value: string | undefined): Listen {
  const match = value ? /^(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})$/.exec(value) : null;
  if (!match || Number(match[2]) > 65535) throw new UsageError(`--metrics needs HOST:PORT, e.g. --metrics 127.0.0.1:9464 (port 0 picks a free one)${value === undefined ? "" : `; got "${value}"`}`);
  return { hostname: match[1] ?? "127.0.0.1", port: Number(match[2]) };
}

/** The exporter sends OTLP/HTTP with JSON bodies only: say so rather than send what a collector did not expect. */
function warnOfOtherProtocols(env: NodeJS.ProcessEnv, onWarning: (message: string) => void): void {
  const name = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ? "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL" : "OTEL_EXPORTER_OTLP_PROTOCOL";
  const protocol = env[name]?.trim();
  if (!protocol || protocol === "http/json") return;
  onWarning(`${name}=${protocol} is not supported: traces are sent as OTLP/HTTP with JSON bodies; point the endpoint at the collector's OTLP/HTTP port and set ${name}=http/json`);
}

function parseAudit(value: string | undefined): AuditDestination {
  if (value === "file" || value === "stdout") return value;
  throw new UsageError(`--audit needs file (records in $AIRLOCK_HOME/audit.jsonl) or stdout (one JSON line per record, for a log collector)${value === undefined ? "" : `; got "${value}"`}`);
}

/** 127.0.0.0/8, ::1 or localhost: the only binds no other machine can reach (as serve.ts judges --http). */
const isLoopback = (hostname: string) => ["localhost", "[::1]", "::1"].includes(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
