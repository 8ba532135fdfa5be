// The OpenTelemetry SDK, loaded only when tracing.ts finds the environment asks for traces. Spans
// go in batches to the OTLP/HTTP endpoint the standard variables name (the exporter reads
// OTEL_EXPORTER_OTLP_*); the context manager carries the active span across awaits, and the W3C
// propagator reads a request's traceparent.
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import type { Tracing } from "./tracing.js";

export function startTracingSdk(env: NodeJS.ProcessEnv): Tracing {
  // OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME, read by the env detector, win over the default name.
  const resource = defaultResource()
    .merge(resourceFromAttributes({ "service.name": "airlock" }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new TracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter(), ...batchOptions(env) })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  trace.setGlobalTracerProvider(provider);
  return { shutdown: () => provider.shutdown() };
}

/** The standard OTEL_BSP_* settings, which this SDK version leaves to the application. */
function batchOptions(env: NodeJS.ProcessEnv) {
  const number = (name: string) => {
    const value = Number(env[name]);
    return env[name] && Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  const options = {
    scheduledDelayMillis: number("OTEL_BSP_SCHEDULE_DELAY"),
    exportTimeoutMillis: number("OTEL_BSP_EXPORT_TIMEOUT"),
    maxQueueSize: number("OTEL_BSP_MAX_QUEUE_SIZE"),
    maxExportBatchSize: number("OTEL_BSP_MAX_EXPORT_BATCH_SIZE"),
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}
