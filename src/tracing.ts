import { trace, type Tracer } from '@opentelemetry/api';
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
  return {
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
