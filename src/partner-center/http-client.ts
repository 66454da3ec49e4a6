import { randomUUID } from 'node:crypto';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Dispatcher } from 'undici';
import type { Logger } from '../logger.js';
import { tracer } from '../tracing.js';
import { parseErrorBody, parseRetryAfter } from './error-body.js';
import { noObserver, type UpstreamObserver, type UpstreamOutcome } from './observer.js';
import type { Resilience } from './resilience.js';
import type { CallContext } from './types.js';
import { UpstreamError } from './upstream-error.js';

export interface HttpClientOptions {
  /** Partner Center base URL; a path prefix is kept (some proxies and fakes mount it below `/`). */
  readonly baseUrl: URL;
  /** Process-wide keep-alive pool (or a MockAgent in tests). */
  readonly dispatcher: Dispatcher;
  /**
   * Per-attempt limit for headers and body together. It includes any wait for a free pooled
   * connection, so that wait is bounded too.
   */
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Retries and circuit breaker for reads; process-wide, like the pool. */
  readonly resilience: Resilience;
  /** Largest body read from Partner Center; qualification answers are a few hundred bytes. */
  readonly maxBodyBytes?: number;
  /** Metrics of every attempt. */
  readonly observer?: UpstreamObserver | undefined;
}

export interface JsonResponse {
  readonly status: number;
  /** Parsed JSON of a 2xx answer; `undefined` for a 404. */
  readonly json: unknown;
}

export interface HttpClient {
  /**
   * GETs `path` (relative to the base URL) as JSON. Resolves for 2xx and 404, rejects with an
   * {@link UpstreamError} for everything else.
   */
  getJson(path: string, call: CallContext, route: string): Promise<JsonResponse>;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const origin = options.baseUrl.origin;
  const prefix = options.baseUrl.pathname.replace(/\/+$/, '');
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const observer = options.observer ?? noObserver;

  function getJson(path: string, call: CallContext, route: string): Promise<JsonResponse> {
    // A GET is idempotent: each retry is a new request with its own MS-RequestId.
    return options.resilience.read((attemptSignal) => attempt(path, call, route, attemptSignal), {
      signal: call.signal,
      deadlineAt: call.deadlineAt,
      onRetry: (error, retry, waitMs) => {
        if (call.stats) call.stats.retries += 1;
        observer.retried(route, outcomeOf(error));
        options.logger.info(
          {
            correlationId: call.correlationId,
            route,
            retry,
            waitMs: Math.round(waitMs),
            kind: error.kind,
            status: error.status,
          },
          'retrying partner center call',
        );
      },
    });
  }

  async function attempt(
    path: string,
    call: CallContext,
    route: string,
    attemptSignal: AbortSignal,
  ): Promise<JsonResponse> {
    const requestId = randomUUID();
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = AbortSignal.any([attemptSignal, timeout]);
    const started = performance.now();
    let status = 0;
    let outcome: UpstreamOutcome = 'ok';
    if (call.stats) call.stats.upstreamCalls += 1;
    observer.attemptStarted(route);
    const parent = call.traceContext ?? context.active();
    const span = tracer().startSpan(
      `GET ${route}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': 'GET',
          'url.template': route,
          'ms.request_id': requestId,
        },
      },
      parent,
    );
    const headers: Record<string, string> = {
      ...call.forwardedHeaders,
      authorization: call.authorization,
      accept: 'application/json',
      'ms-correlationid': call.correlationId,
      'ms-requestid': requestId,
    };
    // W3C traceparent (and tracestate) of this attempt's span.
    propagation.inject(trace.setSpan(parent, span), headers);
    try {
      const response = await options.dispatcher.request({
        origin,
        path: prefix + path,
        method: 'GET',
        headers,
        signal,
      });
      status = response.statusCode;
      const text = await readText(response.body, maxBodyBytes);
      if (status >= 200 && status < 300) return { status, json: parseJson(text, status) };
      if (status === 404) {
        outcome = 'not_found';
        return { status, json: undefined };
      }
      throw statusError(status, text, headerValue(response.headers['retry-after']));
    } catch (error) {
      const failure = classify(error, call.signal, timeout, options.timeoutMs);
      outcome = outcomeOf(failure);
      options.logger.warn(
        {
          correlationId: call.correlationId,
          requestId,
          route,
          status: failure.status ?? status,
          upstreamCode: failure.upstreamCode,
          kind: failure.kind,
          err: failure.message,
        },
        'partner center call failed',
      );
      throw failure;
    } finally {
      const ms = performance.now() - started;
      observer.attemptFinished(route, outcome, ms / 1000);
      if (status !== 0) span.setAttribute('http.response.status_code', status);
      if (outcome !== 'ok' && outcome !== 'not_found') {
        span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
      }
      span.end();
      options.logger.debug(
        {
          correlationId: call.correlationId,
          requestId,
          method: 'GET',
          route,
          status,
          outcome,
          ms: Math.round(ms),
        },
        'partner center call',
      );
    }
  }

  return { getJson };
}

async function readText(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw new UpstreamError('bad-response', `response body larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function parseJson(text: string, status: number): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new UpstreamError('bad-response', `status ${status} with a body that is not JSON`, {
      status,
      cause,
    });
  }
}

function statusError(status: number, text: string, retryAfter: string | undefined): UpstreamError {
  const body = parseErrorBody(text);
  const retryAfterSeconds = parseRetryAfter(retryAfter);
  return new UpstreamError(
    'status',
    `status ${status}${body.description === undefined ? '' : `: ${body.description}`}`,
    {
      status,
      ...(body.code === undefined ? {} : { upstreamCode: body.code }),
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    },
  );
}

function classify(
  error: unknown,
  operationSignal: AbortSignal | undefined,
  timeout: AbortSignal,
  timeoutMs: number,
): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (operationSignal?.aborted) {
    // The operation's deadline is an AbortSignal.timeout; anything else means the client left.
    const reason: unknown = operationSignal.reason;
    return reason instanceof DOMException && reason.name === 'TimeoutError'
      ? new UpstreamError('timeout', 'operation deadline passed', { cause: error })
      : new UpstreamError('aborted', 'cancelled: the client went away', { cause: error });
  }
  if (timeout.aborted) {
    return new UpstreamError('timeout', `no answer within ${timeoutMs} ms`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new UpstreamError('network', `connection failed: ${message}`, { cause: error });
}

function outcomeOf(error: UpstreamError): UpstreamOutcome {
  switch (error.kind) {
    case 'status':
      if (error.status === 429) return 'throttled';
      return error.status !== undefined && error.status >= 500 ? 'server_error' : 'client_error';
    case 'timeout':
      return 'timeout';
    case 'network':
    case 'circuit-open':
      return 'network';
    case 'bad-response':
      return 'bad_response';
    case 'aborted':
      return 'aborted';
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
