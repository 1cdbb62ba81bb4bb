// OpenTelemetry for the example server, only when OTEL_EXPORTER_OTLP_ENDPOINT is set (the
// standard variable; the OTLP exporters read it, and OTEL_EXPORTER_OTLP_HEADERS, themselves).
// Traces and metrics go out as OTLP over HTTP (JSON). The packages are loaded only then, so
// a copy of this server without them installed runs as before and says what to install.
//
//   npm install @opentelemetry/api @opentelemetry/resources@2 @opentelemetry/sdk-trace-base@2 \
//     @opentelemetry/sdk-metrics@2 @opentelemetry/exporter-trace-otlp-http@0.219 \
//     @opentelemetry/exporter-metrics-otlp-http@0.219
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 OTEL_SERVICE_NAME=chat-gateway npm start

const PACKAGES = [
  '@opentelemetry/api',
  '@opentelemetry/resources',
  '@opentelemetry/sdk-trace-base',
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/exporter-metrics-otlp-http',
] as const;

/** Flushes and stops what was started. */
export type StopTelemetry = () => Promise<void>;

/**
 * Registers a tracer and a meter provider exporting to the OTLP endpoint. Returns a line for
 * the startup banner and the stop function, or undefined without OTEL_EXPORTER_OTLP_ENDPOINT.
 */
export async function startTelemetry(): Promise<{ line: string; stop: StopTelemetry } | undefined> {
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return undefined;
  let mods: unknown[];
  try {
    mods = await Promise.all(PACKAGES.map((name) => import(name)));
  } catch {
    return {
      line: `Telemetry: OTEL_EXPORTER_OTLP_ENDPOINT is set but the OpenTelemetry SDK is not installed; run: npm install ${PACKAGES.join(' ')}`,
      stop: async () => undefined,
    };
  }
  const [api, resources, traceSdk, metricsSdk, traceExporter, metricsExporter] = mods as [
    typeof import('@opentelemetry/api'),
    typeof import('@opentelemetry/resources'),
    typeof import('@opentelemetry/sdk-trace-base'),
    typeof import('@opentelemetry/sdk-metrics'),
    typeof import('@opentelemetry/exporter-trace-otlp-http'),
    typeof import('@opentelemetry/exporter-metrics-otlp-http'),
  ];
  const resource = resources.resourceFromAttributes({
    'service.name': process.env.OTEL_SERVICE_NAME ?? 'express-llm-shield-example',
  });
  const tracerProvider = new traceSdk.BasicTracerProvider({
    resource,
    spanProcessors: [
      new traceSdk.BatchSpanProcessor(new traceExporter.OTLPTraceExporter(), { scheduledDelayMillis: 1000 }),
    ],
  });
  const meterProvider = new metricsSdk.MeterProvider({
    resource,
    readers: [
      new metricsSdk.PeriodicExportingMetricReader({
        exporter: new metricsExporter.OTLPMetricExporter(),
        exportIntervalMillis: Number(process.env.OTEL_METRIC_EXPORT_INTERVAL ?? 10_000),
      }),
    ],
  });
  api.trace.setGlobalTracerProvider(tracerProvider);
  api.metrics.setGlobalMeterProvider(meterProvider);
  return {
    line: `Telemetry: traces and metrics to ${endpoint} (OTLP/HTTP)`,
    stop: async () => {
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
