// A stand-in for an OpenTelemetry collector: OTLP/HTTP with JSON bodies
// (OTEL_EXPORTER_OTLP_PROTOCOL=http/json) at /v1/traces on 127.0.0.1, keeping every span it gets.
import { startServer, type TestServer } from "./http-server.js";

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** The resource's attributes, e.g. service.name. */
  resource: Record<string, unknown>;
  attributes: Record<string, unknown>;
}

interface KeyValue {
  key: string;
  value: Record<string, unknown>;
}

const values = (list: KeyValue[] | undefined) => Object.fromEntries((list ?? []).map((kv) => [kv.key, Object.values(kv.value)[0]]));

export async function startOtlpReceiver(): Promise<{ server: TestServer; spans: ReceivedSpan[]; env: Record<string, string> }> {
  const spans: ReceivedSpan[] = [];
  const server = await startServer({
    "/v1/traces": (req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += String(chunk)));
      req.on("end", () => {
        const request = JSON.parse(body) as {
          resourceSpans: { resource?: { attributes?: KeyValue[] }; scopeSpans: { spans: (Omit<ReceivedSpan, "resource" | "attributes"> & { attributes?: KeyValue[] })[] }[] }[];
        };
        for (const resourceSpans of request.resourceSpans) {
          const resource = values(resourceSpans.resource?.attributes);
          for (const scope of resourceSpans.scopeSpans) {
            for (const span of scope.spans) spans.push({ ...span, resource, attributes: values(span.attributes) });
          }
        }
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    },
  });
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: server.origin, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json", OTEL_BSP_SCHEDULE_DELAY: "100" };
  return { server, spans, env };
}

/** `env` without any OTEL_ variable (the machine's own must not reach a test's server). */
export function withoutOtel(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith("OTEL_")));
}

/** Polls until `ready()` holds, failing with `what` after a generous deadline. */
export async function until(what: string, ready: () => boolean | Promise<boolean>, deadlineMs = 30_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
