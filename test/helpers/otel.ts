// A real OpenTelemetry SDK for tests: spans into an in-memory exporter, metrics read on demand.

import { metrics, trace } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

/** A reader that exports nothing by itself: `collect()` reads the metrics when a test asks. */
class TestReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export interface TestOtel {
  spans: InMemorySpanExporter;
  /** The finished spans, once `done` holds for them (spans end when the response closes). */
  finished(done: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]>;
  metrics(): Promise<MetricData[]>;
  shutdown(): Promise<void>;
}

export function registerOtel(): TestOtel {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  trace.setGlobalTracerProvider(tracerProvider);
  const reader = new TestReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    spans,
    async finished(done) {
      for (let i = 0; i < 200; i++) {
        const all = spans.getFinishedSpans();
        if (done(all)) return all;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error('spans never finished');
    },
    async metrics() {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      trace.disable();
      metrics.disable();
    },
  };
}
