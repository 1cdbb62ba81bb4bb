// The optional OpenTelemetry API. `@opentelemetry/api` is an optional peer dependency: when
// it is installed, it is loaded once, here, with a dynamic import (a `require` in the
// CommonJS build), and every telemetry call goes through it; when it is not, `otel()` stays
// undefined and nothing is recorded. Without an SDK registered, the API hands out
// non-recording spans and a no-op meter, which the callers check for and drop.

import type * as OtelApi from '@opentelemetry/api';

export type Otel = typeof OtelApi;

/** The instrumentation scope of every span and instrument of the package. */
export const SCOPE = 'express-llm-shield';

// A variable, not a literal: a bundler that cannot find the optional package must not fail
// the build over it.
const OTEL_API = '@opentelemetry/api';

let api: Otel | undefined;
let scopeTracer: OtelApi.Tracer | undefined;

/**
 * The API once loaded, else undefined (not installed, or still loading: the import starts
 * when the package is loaded and is over long before a server answers its first request).
 */
export function otel(): Otel | undefined {
  return api;
}

/**
 * The package's tracer. Taken once: before an SDK is registered the API hands out a proxy
 * that finds the SDK's tracer when one is registered, and asking again each time would
 * make a new proxy per request.
 */
export function shieldTracer(otelApi: Otel): OtelApi.Tracer {
  return (scopeTracer ??= otelApi.trace.getTracer(SCOPE));
}

function usable(m: unknown): Otel | undefined {
  const ns = m as Partial<Otel> & { default?: Partial<Otel> };
  if (typeof ns.trace?.getTracer === 'function' && typeof ns.context?.with === 'function') return ns as Otel;
  const d = ns.default;
  if (typeof d?.trace?.getTracer === 'function' && typeof d.context?.with === 'function') return d as Otel;
  return undefined;
}

import(OTEL_API).then(
  (m: unknown) => {
    api = usable(m);
  },
  () => undefined,
);
