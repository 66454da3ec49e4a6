import { parseErrorBody, parseRetryAfter } from './error-body.js';
import type { SlotEnd } from './in-flight-limit.js';
import type { UpstreamOutcome } from './observer.js';
import { ShuttingDown, UpstreamError } from './upstream-error.js';

/** JSON of a success answer; an empty body is `undefined` (some creates answer 201 and nothing). */
export function parseJson(text: string, status: number): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new UpstreamError('bad-response', `status ${status} with a body that is not JSON`, {
      status,
      cause,
    });
  }
}

export function statusError(
  status: number,
  text: string,
  retryAfter: string | undefined,
): UpstreamError {
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

/**
 * Names what went wrong with an attempt that did not produce an answer. `exchangeMs`: how long
 * Partner Center had had the request (0: never sent); a timeout with less than half of
 * `timeoutMs` is `cutShort`. Left out, as by a caller outside the attempt, it is never.
 */
export function classify(
  error: unknown,
  operationSignal: AbortSignal | undefined,
  timedOut: boolean,
  timeoutMs: number,
  exchangeMs?: number,
): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const cutShort = exchangeMs !== undefined && exchangeMs < timeoutMs / 2;
  if (operationSignal?.aborted) {
    // The operation's deadline aborts with a TimeoutError, shutdown with ShuttingDown (kept as
    // the cause, which names the code); anything else means the client left.
    const reason: unknown = operationSignal.reason;
    if (reason instanceof DOMException && reason.name === 'TimeoutError') {
      return new UpstreamError('timeout', 'operation deadline passed', { cause: error, cutShort });
    }
    return reason instanceof ShuttingDown
      ? shutdownCut(reason)
      : new UpstreamError('aborted', 'cancelled: the client went away', { cause: error });
  }
  if (timedOut) {
    return new UpstreamError('timeout', `no answer within ${timeoutMs} ms`, {
      cause: error,
      cutShort,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new UpstreamError('network', `connection failed: ${message}`, { cause: error });
}

/**
 * Made for every call in flight at once when shutdown cuts them, and never a bug: without a
 * stack trace, which would cost more than the rest of answering.
 */
function shutdownCut(reason: ShuttingDown): UpstreamError {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new UpstreamError('aborted', 'cancelled: the gateway is shutting down', {
      cause: reason,
    });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

export function outcomeOf(error: UpstreamError): UpstreamOutcome {
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
    case 'overloaded':
      return 'overloaded';
    case 'rate-limited':
      return 'rate_limited';
    case 'deferred':
      return 'deferred';
  }
}

/**
 * What a failed attempt's hold time says about Partner Center's round trip (see `SlotEnd`). Only
 * an attempt that held a slot gets here with a slot to free; the gateway's own refusals never do.
 */
export function slotEndOf(error: UpstreamError): SlotEnd {
  switch (error.kind) {
    // Partner Center answered: an error status, or a body we could not use (not JSON, or cut
    // off at the size limit after its headers came), is as much a round trip as a 200.
    case 'status':
    case 'bad-response':
      return 'answered';
    // The attempt's own timeout or the operation's deadline: no answer yet after this long.
    case 'timeout':
      return 'timed-out';
    // A connection refused at once or reset midway, a client gone: no answer, no length.
    case 'network':
    case 'aborted':
    case 'circuit-open':
    case 'overloaded':
    case 'rate-limited':
    case 'deferred':
      return 'unmeasured';
  }
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
