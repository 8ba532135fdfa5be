// Traces: the host makes its spans through @opentelemetry/api alone, which does nothing until an
// SDK is registered. The SDK (tracing-sdk.ts) is loaded, by a dynamic import so that a plain start
// does not pay for it, only when the standard OpenTelemetry environment asks for export.
import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from "@opentelemetry/api";

/** The host's tracer: a no-op one until the SDK is registered. */
export const tracer = (): Tracer => trace.getTracer("airlock");

/** Runs `run` in a span of its own (the active one while it runs), ended when it settles. */
export function inSpan<T>(name: string, attributes: Attributes, run: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { attributes }, async (span) => {
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
export function inToolCallSpan<T extends object>(tool: string, componentId: string, parent: Context, run: () => Promise<T>): Promise<T> {
  const attributes = { "mcp.method.name": "tools/call", "gen_ai.tool.name": tool, "airlock.component": componentId };
  return tracer().startActiveSpan(`tools/call ${tool}`, { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
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
  const { startTracingSdk } = await import("./tracing-sdk.js");
  return startTracingSdk(env);
}

/**
 * The context a request continues: the W3C trace context in the MCP request's `_meta`
 * (`traceparent`, `tracestate`) if it has one, else the HTTP request's headers of those names.
 */
export function incomingContext(meta: Record<string, unknown> | undefined, headers: Headers | undefined): Context {
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
  return tracer().startSpan(name, { attributes }, trace.setSpan(context.active(), parent));
}

/** Marks `span` as failed, with why. */
export function markFailed(span: Span | undefined, message: string): void {
  span?.setStatus({ code: SpanStatusCode.ERROR, message });
}

/** The trace id of the active span when it is recorded (an SDK is running), for the audit records. */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  const spanContext = span?.spanContext();
  return span?.isRecording() && spanContext && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}
