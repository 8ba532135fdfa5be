// Traces: the host makes its spans through @opentelemetry/api, and only once the standard
// OpenTelemetry environment asks for export: then startTracing loads the API and the SDK
// (tracing-sdk.ts) by dynamic imports. Until then every function here is a no-op that imports
// nothing, so a process that exports no traces (every `airlock` command, most servers) does not
// pay the API's ~60 ms of module loading at start-up.
import type { Attributes, Context, Span, Tracer } from "@opentelemetry/api";

type Api = typeof import("@opentelemetry/api");
/** Set by startTracing once an SDK is registered. */
let api: Api | undefined;

/** A span that records nothing: what the code gets while traces are not exported. */
const NO_SPAN: Span = {
  spanContext: () => ({ traceId: "00000000000000000000000000000000", spanId: "0000000000000000", traceFlags: 0 }),
  setAttribute: () => NO_SPAN,
  setAttributes: () => NO_SPAN,
  addEvent: () => NO_SPAN,
  addLink: () => NO_SPAN,
  addLinks: () => NO_SPAN,
  setStatus: () => NO_SPAN,
  updateName: () => NO_SPAN,
  end: () => undefined,
  isRecording: () => false,
  recordException: () => undefined,
};

/** The host's tracer, once traces are exported. */
const tracer = (a: Api): Tracer => a.trace.getTracer("airlock");

/** Runs `run` in a span of its own (the active one while it runs), ended when it settles. */
export function inSpan<T>(name: string, attributes: Attributes, run: (span: Span) => Promise<T>): Promise<T> {
  if (!api) return run(NO_SPAN);
  const { SpanStatusCode } = api;
  return tracer(api).startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await run(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * A tools/call request in a server span named as the MCP semantic conventions name it
 * (`tools/call <tool>`), continuing the caller's trace (incomingContext); the host's spans of the
 * call are its children. A result with isError marks the span as failed.
 */
export function inToolCallSpan<T extends object>(tool: string, componentId: string, parent: Context | undefined, run: () => Promise<T>): Promise<T> {
  if (!api || !parent) return run();
  const { SpanKind, SpanStatusCode } = api;
  const attributes = { "mcp.method.name": "tools/call", "gen_ai.tool.name": tool, "airlock.component": componentId };
  return tracer(api).startActiveSpan(`tools/call ${tool}`, { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
    try {
      const result = await run();
      if ("isError" in result && result.isError === true) span.setStatus({ code: SpanStatusCode.ERROR });
      return result;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

export interface Tracing {
  /** Exports the spans still buffered and stops: call before the process exits. */
  shutdown(): Promise<void>;
}

/**
 * Whether the environment asks for traces: an OTLP endpoint, or OTEL_TRACES_EXPORTER=otlp.
 * OTEL_SDK_DISABLED=true, or an OTEL_TRACES_EXPORTER without otlp ("none"), turns them off.
 */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return false;
  const exporters = env.OTEL_TRACES_EXPORTER?.split(",").map((e) => e.trim().toLowerCase()) ?? [];
  if (exporters.length > 0 && exporters.some((e) => e !== "")) return exporters.includes("otlp");
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** Starts exporting spans over OTLP/HTTP if the environment asks for it; else undefined. */
export async function startTracing(env: NodeJS.ProcessEnv = process.env): Promise<Tracing | undefined> {
  if (!tracingRequested(env)) return undefined;
  const [loaded, { startTracingSdk }] = await Promise.all([import("@opentelemetry/api"), import("./tracing-sdk.js")]);
  const tracing = startTracingSdk(env);
  api = loaded;
  return tracing;
}

/**
 * The context a request continues: the W3C trace context in the MCP request's `_meta`
 * (`traceparent`, `tracestate`) if it has one, else the HTTP request's headers of those names.
 * Undefined while traces are not exported.
 */
export function incomingContext(meta: Record<string, unknown> | undefined, headers: Headers | undefined): Context | undefined {
  if (!api) return undefined;
  const { context, propagation } = api;
  const fromMeta = typeof meta?.traceparent === "string";
  const carrier: Record<string, string> = {};
  for (const key of ["traceparent", "tracestate"]) {
    const value = fromMeta ? meta?.[key] : headers?.get(key);
    if (typeof value === "string") carrier[key] = value;
  }
  return propagation.extract(context.active(), carrier);
}

/** A span under `parent`, named explicitly: for work started from another context than its own. */
export function startChildSpan(parent: Span, name: string, attributes: Attributes): Span {
  if (!api) return NO_SPAN;
  return tracer(api).startSpan(name, { attributes }, api.trace.setSpan(api.context.active(), parent));
}

/** Marks `span` as failed, with why. */
export function markFailed(span: Span | undefined, message: string): void {
  if (api) span?.setStatus({ code: api.SpanStatusCode.ERROR, message });
}

/** The trace id of the active span when it is recorded (an SDK is running), for the audit records. */
export function activeTraceId(): string | undefined {
  if (!api) return undefined;
  const { trace } = api;
  const span = trace.getActiveSpan();
  const spanContext = span?.spanContext();
  return span?.isRecording() && spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}
