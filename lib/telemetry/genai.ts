// The provider call as the OpenTelemetry GenAI semantic conventions describe it: a
// `chat {model}` span of kind CLIENT over the whole call (retries and fallbacks included,
// as the conventions ask), and the `gen_ai.client.token.usage` and
// `gen_ai.client.operation.duration` histograms. Counts, model names and finish reasons
// only: no message content is ever put on a span.

import type { Attributes, Context, Histogram, Span } from '@opentelemetry/api';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  LLMClient,
  Usage,
} from '../core/openai-types.js';
import type { ShieldState } from '../core/state.js';
import { otel, SCOPE, shieldTracer, type Otel } from './otel.js';
import { requestSpan } from './request-span.js';

/** What the shield speaks to: the OpenAI API, whoever serves it. */
const PROVIDER = 'openai';

// The conventions' advised bucket boundaries for each histogram.
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

interface Instruments {
  tokens: Histogram;
  duration: Histogram;
}

// The metrics API has no proxy: a meter taken before the SDK is registered stays a no-op.
// The instruments are made again whenever the global meter provider changes.
let meterProvider: unknown;
let instruments: Instruments | undefined;

function genAiInstruments(api: Otel): Instruments | undefined {
  const provider = api.metrics.getMeterProvider();
  if (provider === meterProvider) return instruments;
  meterProvider = provider;
  const meter = provider.getMeter(SCOPE);
  instruments =
    meter === api.createNoopMeter()
      ? undefined
      : {
          tokens: meter.createHistogram('gen_ai.client.token.usage', {
            description: 'Number of input and output tokens used.',
            unit: '{token}',
            advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
          }),
          duration: meter.createHistogram('gen_ai.client.operation.duration', {
            description: 'GenAI operation duration.',
            unit: 's',
            advice: { explicitBucketBoundaries: DURATION_BUCKETS },
          }),
        };
  return instruments;
}

/**
 * A client whose `chat.completions.create` an instrumentation has wrapped (shimmer's mark,
 * which `@opentelemetry/instrumentation` uses, as `@opentelemetry/instrumentation-openai`
 * does): that instrumentation makes the chat span and the GenAI metrics; making them here
 * too would count every call twice.
 */
function instrumented(client: LLMClient): boolean {
  return (client.chat.completions.create as { __wrapped?: unknown }).__wrapped === true;
}

function serverAttributes(client: LLMClient, attributes: Attributes): void {
  const base = (client as { baseURL?: unknown }).baseURL;
  if (typeof base !== 'string') return;
  try {
    const url = new URL(base);
    attributes['server.address'] = url.hostname;
    attributes['server.port'] = url.port === '' ? (url.protocol === 'http:' ? 80 : 443) : Number(url.port);
  } catch {
    // Not a URL: left out.
  }
}

function requestAttributes(client: LLMClient, body: ChatCompletionRequest): Attributes {
  const attributes: Attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': PROVIDER,
    'gen_ai.request.model': String(body.model),
  };
  serverAttributes(client, attributes);
  return attributes;
}

const count = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;

/** One provider call being recorded. */
export class ChatTelemetry {
  private readonly started = performance.now();
  private responseModel: string | undefined;
  private responseId: string | undefined;
  private usage: Usage | undefined;
  private readonly finishReasons: string[] = [];

  constructor(
    private readonly api: Otel,
    private readonly span: Span | undefined,
    private readonly common: Attributes,
    readonly context: Context,
  ) {}

  /** A JSON answer. */
  completion(completion: ChatCompletion): void {
    this.response(completion.model, completion.id, completion.usage);
    if (Array.isArray(completion.choices))
      for (const c of completion.choices)
        if (typeof c?.finish_reason === 'string') this.finishReasons.push(c.finish_reason);
  }

  /** A chunk of a streamed answer. */
  chunk(chunk: ChatCompletionChunk): void {
    this.response(chunk.model, chunk.id, chunk.usage ?? undefined);
    if (Array.isArray(chunk.choices))
      for (const c of chunk.choices) if (typeof c?.finish_reason === 'string') this.finishReasons.push(c.finish_reason);
  }

  private response(model: unknown, id: unknown, usage: Usage | undefined): void {
    if (typeof model === 'string' && model !== '') this.responseModel = model;
    if (typeof id === 'string' && id !== '') this.responseId = id;
    if (usage) this.usage = usage;
  }

  /** The call is over; `errorType` says how it failed, if it did. */
  end(errorType: string | undefined): void {
    const metricAttributes: Attributes = { ...this.common };
    if (this.responseModel !== undefined) metricAttributes['gen_ai.response.model'] = this.responseModel;
    const input = count(this.usage?.prompt_tokens);
    const output = count(this.usage?.completion_tokens);
    const span = this.span;
    if (span !== undefined) {
      if (this.responseModel !== undefined) span.setAttribute('gen_ai.response.model', this.responseModel);
      if (this.responseId !== undefined) span.setAttribute('gen_ai.response.id', this.responseId);
      if (this.finishReasons.length > 0) span.setAttribute('gen_ai.response.finish_reasons', this.finishReasons);
      if (input !== undefined) span.setAttribute('gen_ai.usage.input_tokens', input);
      if (output !== undefined) span.setAttribute('gen_ai.usage.output_tokens', output);
      if (errorType !== undefined) {
        span.setAttribute('error.type', errorType);
        span.setStatus({ code: this.api.SpanStatusCode.ERROR });
      }
      span.end();
    }
    const metrics = genAiInstruments(this.api);
    if (metrics === undefined) return;
    if (input !== undefined) metrics.tokens.record(input, { ...metricAttributes, 'gen_ai.token.type': 'input' });
    if (output !== undefined) metrics.tokens.record(output, { ...metricAttributes, 'gen_ai.token.type': 'output' });
    if (errorType !== undefined) metricAttributes['error.type'] = errorType;
    metrics.duration.record((performance.now() - this.started) / 1000, metricAttributes);
  }
}

/** Known before the call, the same for every call: what a sampler sees when the span starts. */
const AT_START: Attributes = Object.freeze({ 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': PROVIDER });

/**
 * The recorder of one provider call, or undefined when nothing would be recorded: no API,
 * no SDK (neither a recording span nor a meter), or an instrumentation of the client that
 * records the call itself. Nothing is built before the span says it records: without an SDK
 * this costs a non-recording span and a look at the meter provider.
 */
export function startChat(
  state: ShieldState,
  client: LLMClient,
  body: ChatCompletionRequest,
): ChatTelemetry | undefined {
  const api = otel();
  if (api === undefined || instrumented(client)) return undefined;
  const parent = requestSpan(state);
  const active = api.context.active();
  const parentContext = parent === undefined ? active : api.trace.setSpan(active, parent);
  const span = shieldTracer(api).startSpan(
    `chat ${String(body.model)}`,
    { kind: api.SpanKind.CLIENT, attributes: AT_START },
    parentContext,
  );
  const recording = span.isRecording();
  if (!recording && genAiInstruments(api) === undefined) return undefined;
  const common = requestAttributes(client, body);
  if (recording) span.setAttributes(requestOnly(common, body));
  const context = recording ? api.trace.setSpan(parentContext, span) : parentContext;
  return new ChatTelemetry(api, recording ? span : undefined, common, context);
}

/** The span's own request attributes: the request's sampling settings. */
function requestOnly(common: Attributes, body: ChatCompletionRequest): Attributes {
  const attributes: Attributes = { ...common };
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (typeof maxTokens === 'number') attributes['gen_ai.request.max_tokens'] = maxTokens;
  if (typeof body.temperature === 'number') attributes['gen_ai.request.temperature'] = body.temperature;
  if (typeof body.top_p === 'number') attributes['gen_ai.request.top_p'] = body.top_p;
  return attributes;
}

/** Runs `fn` with the call's span active, so that spans made inside it (HTTP client spans) are its children. */
export function withChatContext<T>(chat: ChatTelemetry | undefined, fn: () => T): T {
  const api = otel();
  return chat === undefined || api === undefined ? fn() : api.context.with(chat.context, fn);
}
