/**
 * Why an upstream call failed, in terms the GraphQL layer maps to its closed error table.
 * The message is for logs only; clients never see it.
 */
export type UpstreamFailureKind =
  /** Partner Center answered with a non-success HTTP status. */
  | 'status'
  /** No complete answer within the per-attempt timeout. */
  | 'timeout'
  /** The connection failed or was reset. */
  | 'network'
  /** The answer was not JSON, too large, or not of the documented shape. */
  | 'bad-response'
  /** The caller went away, or the gateway is shutting down (`ShuttingDown`): call cancelled. */
  | 'aborted'
  /**
   * Not attempted: the circuit breaker is open after outage failures of many customers, or this
   * one customer is held after its own repeated outage failures.
   */
  | 'circuit-open'
  /**
   * Not attempted: the gateway shed the call because it could no longer finish in time (the
   * gateway's own decision, never a Partner Center failure: not retried, not an outage).
   */
  | 'overloaded'
  /**
   * Not attempted: the fleet's call budget had no room in time, or a 429 that some replica got
   * holds this customer (or route) longer than the call may wait (the gateway's own decision,
   * like `overloaded`).
   */
  | 'rate-limited'
  /**
   * Not attempted: background work yielding to interactive calls; try later (`retryAfterSeconds`).
   * Only a `watch` call (`CallContext.purpose`) ends so: no slot it may take, over its share of
   * the call budget, a 429 hold on its key, the breaker open or half-open or its customer held,
   * or its slot taken back for a waiting interactive call.
   */
  | 'deferred';

export interface UpstreamErrorDetails {
  readonly status?: number;
  /** Partner Center's own error `code` (numeric codes are kept as their decimal text). */
  readonly upstreamCode?: string;
  readonly retryAfterSeconds?: number;
  /** A timeout that came before Partner Center had the request for long: see `cutShort`. */
  readonly cutShort?: boolean;
  readonly cause?: unknown;
}

export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly status: number | undefined;
  readonly upstreamCode: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  /**
   * A timeout is a censored observation: the round trip took at least as long as the request
   * was with Partner Center. True when that was under half of the attempt timeout (cut by the
   * operation's deadline, or sent late after waiting for a hold, the budget or a slot, or not
   * sent at all): no evidence that Partner Center is down, so the breaker and the per-customer
   * holds do not count it.
   */
  readonly cutShort: boolean;

  constructor(
    readonly kind: UpstreamFailureKind,
    message: string,
    details: UpstreamErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.upstreamCode = details.upstreamCode;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.cutShort = details.cutShort ?? false;
  }
}

/**
 * A `watch` call not sent (or not waited for) now; `retryAfterMs` is a best guess. Never a bug,
 * and made for every poll a busy gateway puts off: without a stack trace.
 */
export function deferred(message: string, retryAfterMs: number): UpstreamError {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new UpstreamError('deferred', message, {
      retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
    });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * Why an operation is cut short when the gateway shuts down with it still running: a
 * cancellation, like a client going away (no evidence about Partner Center), but one whose
 * caller is still there and gets `SHUTTING_DOWN`.
 */
export class ShuttingDown extends Error {
  override readonly name = 'ShuttingDown';
  constructor() {
    super('the gateway is shutting down');
  }
}

/** A call cancelled because the gateway is shutting down (see `ShuttingDown`). */
export function isShutdownCut(error: UpstreamError): boolean {
  return error.kind === 'aborted' && error.cause instanceof ShuttingDown;
}
