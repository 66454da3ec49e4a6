import { randomUUID } from 'node:crypto';
import { propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Dispatcher } from 'undici';
import type { Logger } from '../observability/logger.js';
import { tracer, UNTRACED_SPAN } from '../observability/tracing.js';
import { parseErrorBody, type ErrorBody } from './error-body.js';
import { AttemptAbort } from './attempt-abort.js';
import { deferred, isShutdownCut } from './upstream-error.js';
import { ReplyReader } from './reply-reader.js';
import { classify, outcomeOf, parseJson, slotEndOf, statusError } from './http-response.js';
import { noObserver, type UpstreamObserver, type UpstreamOutcome } from './observer.js';
import { NO_LIMIT, type InFlightLimit, type Release, type SlotEnd } from './in-flight-limit.js';
import type { Resilience } from './resilience.js';
import { holdKey, OPEN_GATE, type CallGate, type Passage } from './call-gate.js';
import type { CallContext } from './types.js';

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
  /** Retries and circuit breaker; process-wide, like the pool. */
  readonly resilience: Resilience;
  /** Largest body read from Partner Center; qualification answers are a few hundred bytes. */
  readonly maxBodyBytes?: number;
  /** Metrics of every attempt. */
  readonly observer?: UpstreamObserver | undefined;
  /** Bounds the attempts in flight across all operations (`UPSTREAM_MAX_CONCURRENCY`). */
  readonly inFlight?: InFlightLimit | undefined;
  /** The fleet's 429 holds and call budget (`UPSTREAM_MAX_CALLS_PER_MINUTE`); every attempt passes it. */
  readonly gate?: CallGate | undefined;
}

/** The template of a route about one customer: it names the customer's id. */
export type CustomerRoute = `${string}{id}${string}`;

/**
 * Whom a request concerns, as its route demands: the normalised customer id (as in the path)
 * for a route about one customer, nothing for a route about no single customer (the customer
 * list, the validation codes). Policies that must not let one customer's trouble spill over to
 * others key on it: the circuit breaker counts failures once per subject and holds a subject
 * that keeps failing on its own, and a 429 holds that customer rather than the whole route. So
 * the compiler refuses a per-customer route without one. Never logged or used as a metric label
 * (it is a customer id).
 */
export type SubjectOf<Route extends string> = Route extends CustomerRoute
  ? { readonly subject: string }
  : { readonly subject?: undefined };

export interface UpstreamRequestFields<Route extends string = string> {
  readonly method: 'GET' | 'POST';
  /** Relative to the base URL, already encoded. */
  readonly path: string;
  /** The path's template, for logs, metrics and span names (never a customer id). */
  readonly route: Route;
  readonly body?: unknown;
  /**
   * Partner Center's idempotency key. Given: every attempt sends it, so a retried write is the
   * same write. Absent: each attempt of a read gets a new one.
   */
  readonly requestId?: string | undefined;
  /** Statuses besides 2xx that are answers rather than failures (404 for reads, refusals for writes). */
  readonly answerStatuses?: ReadonlySet<number>;
  /**
   * Headers of this endpoint (`MS-ContinuationToken`), already checked by the caller; they cannot
   * replace the ones the client sets.
   */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

export type UpstreamRequest<Route extends string = string> = UpstreamRequestFields<Route> &
  SubjectOf<Route>;

/** What the client itself reads of any request. */
type AnyUpstreamRequest = UpstreamRequestFields & { readonly subject?: string | undefined };

export interface UpstreamAnswer {
  readonly status: number;
  /** Parsed JSON of a 2xx answer (`undefined` when empty). */
  readonly json: unknown;
  /** Partner Center's error, for a non-2xx status listed in `answerStatuses`. */
  readonly error?: ErrorBody;
}

export interface HttpClient {
  /** Sends one logical request (retried as its kind allows); rejects with an `UpstreamError`. */
  send<Route extends string>(
    request: UpstreamRequest<Route>,
    call: CallContext,
  ): Promise<UpstreamAnswer>;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const NO_STATUSES: ReadonlySet<number> = new Set();
/** For a background call without a signal of its own (it goes around `resilience.execute`). */
const NEVER_ABORTED = new AbortController().signal;
/** A poll's guess when a slot may be free for it again. */
const SLOT_RETRY_MS = 1000;
/** Why a poll's exchange was cut: its slot was taken back for waiting interactive calls. */
const YIELDED = new DOMException('yielded its slot to interactive calls', 'AbortError');

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const origin = options.baseUrl.origin;
  const prefix = options.baseUrl.pathname.replace(/\/+$/, '');
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const observer = options.observer ?? noObserver;
  const inFlight = options.inFlight ?? NO_LIMIT;
  const gate = options.gate ?? OPEN_GATE;

  function send(request: AnyUpstreamRequest, call: CallContext): Promise<UpstreamAnswer> {
    if (call.purpose === 'watch') return sendInBackground(request, call);
    return options.resilience.execute((attemptSignal) => attempt(request, call, attemptSignal), {
      subject: request.subject,
      signal: call.signal,
      deadlineAt: call.deadlineAt,
      // A write times out ambiguously; only its fixed MS-RequestId makes trying again safe.
      retryTimeouts: request.requestId !== undefined,
      onRetry: (error, retry, waitMs) => {
        if (call.stats) call.stats.retries += 1;
        observer.retried(request.route, outcomeOf(error), 'interactive');
        options.logger.info(
          {
            correlationId: call.correlationId,
            method: request.method,
            route: request.route,
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

  /**
   * A `watch` poll: one attempt, never retried (the watch polls again next interval), around
   * cockatiel and the per-customer holds, whose state it only reads. So a poll's failures are
   * never counted (not as outages, not for a customer's hold), its success closes or resets
   * nothing, and it is never the half-open probe: while the breaker is not closed, or its
   * customer is held, it is deferred.
   */
  function sendInBackground(
    request: AnyUpstreamRequest,
    call: CallContext,
  ): Promise<UpstreamAnswer> {
    const waitMs = options.resilience.backgroundWaitMs(request.subject);
    if (waitMs > 0) {
      return Promise.reject(
        deferred('the circuit breaker or a customer hold is not closed', waitMs),
      );
    }
    return attempt(request, call, call.signal ?? NEVER_ABORTED, true);
  }

  async function attempt(
    request: AnyUpstreamRequest,
    call: CallContext,
    attemptSignal: AbortSignal,
    background = false,
  ): Promise<UpstreamAnswer> {
    const { method, route } = request;
    // Before the attempt is counted: a credentials failure is not a Partner Center failure.
    const authorization = await call.authorize();
    const requestId = request.requestId ?? randomUUID();
    const attemptAbort = new AttemptAbort(attemptSignal, options.timeoutMs);
    const started = performance.now();
    let status = 0;
    let outcome: UpstreamOutcome = 'ok';
    let end: SlotEnd = 'answered';
    observer.attemptStarted(route);
    const parent = call.traceContext;
    const span =
      parent === undefined
        ? UNTRACED_SPAN
        : tracer().startSpan(
            `${method} ${route}`,
            {
              kind: SpanKind.CLIENT,
              attributes: {
                'http.request.method': method,
                'url.template': route,
                'ms.request_id': requestId,
              },
            },
            parent,
          );
    const headers: Record<string, string> = {
      ...request.headers,
      ...call.forwardedHeaders,
      authorization,
      accept: 'application/json',
      'ms-correlationid': call.correlationId,
      'ms-requestid': requestId,
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
    };
    // W3C traceparent (and tracestate) of this attempt's span.
    if (parent !== undefined) propagation.inject(trace.setSpan(parent, span), headers);
    let release: Release | undefined;
    let reply: ReplyReader | undefined;
    let sentAt: number | undefined;
    let passage: Passage | undefined;
    const key = holdKey(request.subject, route);
    try {
      // The attempt's timeout covers the waits for a hold, the budget and a slot too; a call
      // that could no longer finish by then (or by the operation's deadline) is not sent.
      const finishBy =
        started +
        Math.min(
          options.timeoutMs,
          call.deadlineAt === undefined ? Number.POSITIVE_INFINITY : call.deadlineAt - Date.now(),
        );
      // Holds and budget before the slot: a call waiting for room must not keep a slot idle.
      // Only a wait needs a signal, so an attempt with nothing to wait for makes none.
      attemptAbort.throwIfOver();
      // A poll never waits: deferred at once when a hold, the budget or a slot is not for it.
      passage = background ? await gate.passBackground(key) : gate.passNow(key);
      if (passage === undefined) {
        passage = await gate.pass(key, attemptAbort.signal(), finishBy);
        if (passage.budgetWaitMs > 0 && call.stats) {
          call.stats.budgetWaits += 1;
          call.stats.budgetWaitMs += passage.budgetWaitMs;
        }
      }
      // As `acquire` refuses an aborted signal: an attempt already over takes no slot.
      attemptAbort.throwIfOver();
      if (background) {
        release = inFlight.tryAcquireBackground(() => {
          attemptAbort.abort(YIELDED);
        });
        if (release === undefined) throw deferred('no free slot a poll may take', SLOT_RETRY_MS);
      } else {
        release =
          inFlight.tryAcquire() ?? (await inFlight.acquire(attemptAbort.signal(), finishBy));
      }
      passage.settle(true);
      // Counted once it holds a slot: a call shed in the queue never reached Partner Center.
      if (call.stats) call.stats.upstreamCalls += 1;
      reply = new ReplyReader(attemptAbort, maxBodyBytes);
      sentAt = performance.now();
      const text = await reply.read(options.dispatcher, {
        origin,
        path: prefix + request.path,
        method,
        headers,
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      });
      status = reply.status;
      if (status >= 200 && status < 300) return { status, json: parseJson(text, status) };
      if ((request.answerStatuses ?? NO_STATUSES).has(status)) {
        outcome = status === 404 ? 'not_found' : 'client_error';
        return { status, json: undefined, error: parseErrorBody(text) };
      }
      throw statusError(status, text, reply.retryAfter);
    } catch (error) {
      // A body that failed after its headers still had a status (for the log and the span).
      if (reply !== undefined) status = reply.status;
      const failure =
        attemptAbort.reason === YIELDED
          ? deferred('yielded its slot to interactive calls', SLOT_RETRY_MS)
          : classify(
              error,
              call.signal,
              attemptAbort.timedOut,
              options.timeoutMs,
              sentAt === undefined ? 0 : performance.now() - sentAt,
            );
      outcome = outcomeOf(failure);
      end = slotEndOf(failure);
      if (failure.status === 429 && failure.retryAfterSeconds !== undefined) {
        // A poll's 429 holds only polls: interactive reads of that customer still go.
        if (background) gate.throttledBackground(key, failure.retryAfterSeconds * 1000);
        else gate.throttled(key, failure.retryAfterSeconds * 1000);
      }
      // Shedding, budget refusals, deferred polls and shutdown's cut are the gateway's own
      // decisions, counted in metrics; a warning per call would flood the log exactly when the
      // gateway is busiest.
      const own =
        failure.kind === 'overloaded' ||
        failure.kind === 'rate-limited' ||
        failure.kind === 'deferred' ||
        isShutdownCut(failure);
      options.logger[own ? 'debug' : 'warn'](
        {
          correlationId: call.correlationId,
          requestId,
          method,
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
      // Not sent (shed, cancelled or timed out before a slot): its budget call is given back.
      passage?.settle(false);
      // A timed-out hold is a lower bound, a cancelled one nothing (src/overload/hold-times.ts).
      release?.(end);
      attemptAbort.dispose();
      const ms = performance.now() - started;
      observer.attemptFinished(route, outcome, ms / 1000, background ? 'watch' : 'interactive');
      if (status !== 0) span.setAttribute('http.response.status_code', status);
      if (outcome !== 'ok' && outcome !== 'not_found') {
        span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
      }
      span.end();
      options.logger.debug(
        {
          correlationId: call.correlationId,
          requestId,
          method,
          route,
          status,
          outcome,
          ms: Math.round(ms),
        },
        'partner center call',
      );
    }
  }

  return { send };
}
