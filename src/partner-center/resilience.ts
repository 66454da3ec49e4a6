import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  handleWhen,
  retry,
  wrap,
  type IRetryBackoffContext,
} from 'cockatiel';
import { UpstreamError } from './upstream-error.js';

export interface ResilienceOptions {
  /** Retries after the first attempt (0 turns retrying off). */
  readonly retries: number;
  /** First backoff step; each retry doubles it, and full jitter picks a delay below it. */
  readonly retryBaseMs: number;
  /** Longest `Retry-After` worth waiting for; a longer one fails at once as RATE_LIMITED. */
  readonly retryAfterMaxMs: number;
  /** Consecutive outage failures that open the breaker. */
  readonly breakerThreshold: number;
  /** How long the breaker stays open before one probe call may try again. */
  readonly breakerHalfOpenMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface Resilience {
  /**
   * Runs one idempotent upstream read under the breaker, retrying transient failures. `fn` gets
   * the signal to pass on; `signal` ends waiting and retrying (deadline, client gone).
   */
  read<T>(fn: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T>;
  breakerState(): BreakerState;
}

/** Partner Center throttles (429) and has bad minutes (5xx, resets): those are worth a retry. */
export function isTransient(error: unknown): error is UpstreamError {
  if (!(error instanceof UpstreamError)) return false;
  if (error.kind === 'network') return true;
  if (error.kind !== 'status' || error.status === undefined) return false;
  return error.status === 429 || (error.status >= 500 && error.status !== 501);
}

/** Failures that say Partner Center itself is unwell, as opposed to this caller's problem. */
function isOutage(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return false;
  if (error.kind === 'network' || error.kind === 'timeout') return true;
  return error.kind === 'status' && error.status !== undefined && error.status >= 500;
}

/**
 * cockatiel's retry and circuit breaker, composed so that every attempt passes the breaker: an
 * open breaker fails fast (UPSTREAM_UNAVAILABLE) instead of adding load to an outage.
 */
export function createResilience(options: ResilienceOptions): Resilience {
  const worthWaiting = (error: unknown): boolean =>
    isTransient(error) &&
    (error.retryAfterSeconds === undefined ||
      error.retryAfterSeconds * 1000 <= options.retryAfterMaxMs);

  const retryPolicy = retry(handleWhen(worthWaiting), {
    maxAttempts: options.retries,
    backoff: new DelegateBackoff((context: IRetryBackoffContext<unknown>) => {
      const error = 'error' in context.result ? context.result.error : undefined;
      if (error instanceof UpstreamError && error.retryAfterSeconds !== undefined) {
        return error.retryAfterSeconds * 1000;
      }
      // Full jitter: spreads the retries of many callers hit by the same outage.
      return Math.random() * options.retryBaseMs * 2 ** (context.attempt - 1);
    }),
  });
  const breaker = circuitBreaker(handleWhen(isOutage), {
    halfOpenAfter: options.breakerHalfOpenMs,
    breaker: new ConsecutiveBreaker(options.breakerThreshold),
  });
  const policy = wrap(retryPolicy, breaker);

  return {
    async read(fn, signal) {
      try {
        return await policy.execute(({ signal: attemptSignal }) => fn(attemptSignal), signal);
      } catch (error) {
        if (error instanceof BrokenCircuitError) {
          throw new UpstreamError('circuit-open', 'circuit breaker open after repeated failures', {
            cause: error,
          });
        }
        throw error;
      }
    },
    breakerState() {
      switch (breaker.state) {
        case CircuitState.Closed:
          return 'closed';
        case CircuitState.HalfOpen:
          return 'half-open';
        case CircuitState.Open:
        case CircuitState.Isolated:
          return 'open';
      }
    },
  };
}
