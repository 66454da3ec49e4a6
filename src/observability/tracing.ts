import {
  INVALID_SPAN_CONTEXT,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context as TraceContext,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';

export const SERVICE_NAME = 'partner-center-qualifications-gateway';

/** The tracer every module uses; a no-op until `startTracing` registers a provider. */
export function tracer(): Tracer {
  return trace.getTracer(SERVICE_NAME);
}

/** Whether a span exporter is registered: only then do spans the gateway starts itself matter. */
let exporting = false;

/** What an untraced operation uses as its span: every call on it does nothing. */
export const UNTRACED_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * The trace an operation belongs to, or `undefined` when nobody would see it: no exporter and no
 * caller's `traceparent`. Untraced operations skip spans and context propagation altogether,
 * which is a few percent of the CPU of a small operation.
 */
export function traceParentOf(
  headers: Readonly<Record<string, unknown>>,
): TraceContext | undefined {
  if (!exporting && headers['traceparent'] === undefined) return undefined;
  return propagation.extract(ROOT_CONTEXT, headers);
}

export interface TracingOptions {
  /** OTLP/HTTP traces endpoint (`…/v1/traces`); without it nothing is exported. */
  readonly otlpTracesUrl?: URL | undefined;
  /** For tests: export here instead. */
  readonly exporter?: SpanExporter | undefined;
}

export interface Tracing {
  /** Exports what is buffered now (tests; shutdown does it too). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Registers OpenTelemetry for the process: W3C `traceparent` in and out, spans per operation and
 * per upstream call. Without an exporter, operations started by the gateway itself are not
 * sampled (so spans cost next to nothing) but a caller's trace context still reaches Partner
 * Center; with one, every operation is traced unless the caller's context says not to.
 */
export function startTracing(options: TracingOptions): Tracing {
  const exporter =
    options.exporter ??
    (options.otlpTracesUrl === undefined
      ? undefined
      : new OTLPTraceExporter({ url: options.otlpTracesUrl.href }));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': SERVICE_NAME }),
    sampler: new ParentBasedSampler({
      root: exporter === undefined ? new AlwaysOffSampler() : new AlwaysOnSampler(),
    }),
    spanProcessors: exporter === undefined ? [] : [new BatchSpanProcessor(exporter)],
  });
  provider.register();
  exporting = exporter !== undefined;
  return {
    flush: () => provider.forceFlush(),
    shutdown: () => {
      exporting = false;
      return provider.shutdown();
    },
  };
}
