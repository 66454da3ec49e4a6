import { BrokenCircuitError, circuitBreaker, CircuitState, handleType } from 'cockatiel';
import { sleep } from './abort-fan-out.js';
import { DistinctOutages } from './distinct-outages.js';
import { SubjectHolds } from './subject-holds.js';
import { UpstreamError } from './upstream-error.js';

/** Most customers the per-customer fail-fast remembers at once. */
const MAX_HELD_SUBJECTS = 1000;

export interface ResilienceOptions {
  /** Retries after the first attempt (0 turns retrying off). */
  readonly retries: number;
  /** First backoff step; each retry doubles it, and full jitter picks a delay below it. */
  readonly retryBaseMs: number;
  /** Longest `Retry-After` worth waiting for; a longer one fails at once as RATE_LIMITED. */
  readonly retryAfterMaxMs: number;
  /**
   * Consecutive outage failures of distinct customers that open the breaker; also the
   * consecutive outage failures of one customer after which that customer alone fails fast.
   */
  readonly breakerThreshold: number;
  /** How long the breaker (or one customer's hold) fails fast before one call may try again. */
  readonly breakerHalfOpenMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface ExecuteOptions {
  /**
   * Whom the request is about: the normalised customer id, or undefined for a request that
   * concerns no single customer (the validation codes). The breaker counts failures once per
   * subject, and a subject that keeps failing fails fast on its own.
   */
  readonly subject?: string | undefined;
  /** Ends waiting and retrying: the operation's deadline or the client going away. */
  readonly signal?: AbortSignal | undefined;
  /** Epoch ms of the operation's deadline: no retry is started that could not finish by then. */
  readonly deadlineAt?: number | undefined;
  /** Retry attempts that timed out too (writes with a fixed idempotency key). */
  readonly retryTimeouts?: boolean | undefined;
  /** Told before each retry, for logs and metrics. */
  readonly onRetry?: ((error: UpstreamError, attempt: number, waitMs: number) => void) | undefined;
}

export interface Resilience {
  /**
   * Runs one idempotent upstream request under the breaker, retrying transient failures. Only
   * for requests that are safe to repeat: reads, and writes with a fixed `MS-RequestId`.
   */
  execute<T>(fn: (signal: AbortSignal) => Promise<T>, options?: ExecuteOptions): Promise<T>;
  breakerState(): BreakerState;
}

/** Partner Center throttles (429) and has bad minutes (5xx, resets): those are worth a retry. */
function isTransient(error: UpstreamError): boolean {
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

/** The gateway's own end of a call, before Partner Center answered. */
function isUnanswered(error: unknown): boolean {
  return (
    error instanceof UpstreamError &&
    (error.kind === 'overloaded' || error.kind === 'aborted' || error.kind === 'rate-limited')
  );
}

/** An outage failure that counts towards opening the breaker; unwrapped before anyone sees it. */
class CountedOutage extends Error {
  constructor(readonly error: unknown) {
    super('counted outage');
  }
}

/**
 * Retries around cockatiel's circuit breaker: every attempt passes the breaker, and an open
 * breaker fails fast (UPSTREAM_UNAVAILABLE) instead of adding load to an outage. It opens on
 * outage failures of distinct customers only (`DistinctOutages`), so one customer Partner Center
 * keeps failing for cannot take every caller down; that customer fails fast on its own
 * (`SubjectHolds`). The retry loop is ours because it must honour `Retry-After`, never outlive
 * the operation's deadline, and stop waiting the moment the client leaves; cockatiel's retry
 * policy does none of the three.
 */
export function createResilience(options: ResilienceOptions): Resilience {
  const outages = new DistinctOutages(options.breakerThreshold);
  const breaker = circuitBreaker(handleType(CountedOutage), {
    halfOpenAfter: options.breakerHalfOpenMs,
    breaker: outages,
  });
  // Closing after a probe that Partner Center answered with a non-outage error skips success().
  breaker.onReset(() => {
    outages.reset();
  });
  const holds = new SubjectHolds({
    threshold: options.breakerThreshold,
    holdMs: options.breakerHalfOpenMs,
    maxSubjects: MAX_HELD_SUBJECTS,
  });

  async function attempt<T>(
    fn: (signal: AbortSignal) => Promise<T>,
    signal: AbortSignal,
    subject: string | undefined,
  ): Promise<T> {
    try {
      const value = await fn(signal);
      if (subject !== undefined) holds.succeeded(subject);
      return value;
    } catch (error) {
      // A half-open probe that never got Partner Center's answer (shed by the gateway, refused by
      // the call budget or a 429 hold, or its caller left) says nothing of its health; passed on unhandled, cockatiel would take it for
      // a success and close. Counted, the breaker stays open one more period: the safe side.
      if (breaker.state === CircuitState.HalfOpen && isUnanswered(error)) {
        throw new CountedOutage(error);
      }
      if (!isOutage(error)) throw error;
      if (subject !== undefined) holds.failed(subject);
      if (outages.counts(subject, breaker.state)) throw new CountedOutage(error);
      throw error;
    }
  }

  /** How long to wait before retry number `retry` (1-based), or undefined for "do not retry". */
  function waitBefore(error: unknown, retry: number, retryTimeouts: boolean): number | undefined {
    if (retry > options.retries || !(error instanceof UpstreamError)) return undefined;
    if (!isTransient(error) && !(retryTimeouts && error.kind === 'timeout')) return undefined;
    if (error.retryAfterSeconds !== undefined) {
      const ms = error.retryAfterSeconds * 1000;
      return ms <= options.retryAfterMaxMs ? ms : undefined;
    }
    // Full jitter spreads the retries of the many callers one outage hits at once.
    return Math.random() * options.retryBaseMs * 2 ** (retry - 1);
  }

  return {
    async execute(fn, { subject, signal, deadlineAt, retryTimeouts = false, onRetry } = {}) {
      for (let retry = 1; ; retry += 1) {
        if (subject !== undefined && holds.isHeld(subject)) {
          throw new UpstreamError(
            'circuit-open',
            'Partner Center keeps failing for this customer; not asked again for now',
          );
        }
        try {
          return await breaker.execute(
            ({ signal: attemptSignal }) => attempt(fn, attemptSignal, subject),
            signal,
          );
        } catch (caught) {
          const error = caught instanceof CountedOutage ? caught.error : caught;
          if (error instanceof BrokenCircuitError) {
            throw new UpstreamError(
              'circuit-open',
              'circuit breaker open after repeated failures',
              {
                cause: error,
              },
            );
          }
          const wait = waitBefore(error, retry, retryTimeouts);
          const tooLate = deadlineAt !== undefined && Date.now() + (wait ?? 0) >= deadlineAt;
          if (wait === undefined || tooLate || signal?.aborted === true) throw error;
          onRetry?.(error as UpstreamError, retry, wait);
          // The operation's signal, shared by all its calls: `node:timers/promises` would add a
          // listener to it per retry waiting (sixty customers throttled at once, sixty listeners).
          await sleep(wait, signal).catch(() => {
            throw error;
          });
        }
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
