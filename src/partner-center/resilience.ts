import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  handleType,
  TaskCancelledError,
  type IBackoff,
  type FailureReason,
  type IBackoffFactory,
  type IHalfOpenAfterBackoffContext,
} from 'cockatiel';
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
  /**
   * For a background (`watch`) call, which bypasses `execute`: 0 when it may be sent now, else
   * about how long until it is worth trying (the breaker open or half-open, or `subject` held).
   * Reads the state only: a poll's outcome is never counted, so it can neither open nor close the
   * breaker, hold nor release a customer, and it is never the half-open probe.
   */
  backgroundWaitMs(subject?: string): number;
}

/** Partner Center throttles (429) and has bad minutes (5xx, resets): those are worth a retry. */
function isTransient(error: UpstreamError): boolean {
  if (error.kind === 'network') return true;
  if (error.kind !== 'status' || error.status === undefined) return false;
  return error.status === 429 || (error.status >= 500 && error.status !== 501);
}

/**
 * Failures that say Partner Center itself is unwell, as opposed to this caller's problem. A
 * timeout counts only when Partner Center had the request for long enough (not `cutShort`).
 */
function isOutage(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return false;
  if (error.kind === 'network') return true;
  if (error.kind === 'timeout') return !error.cutShort;
  return error.kind === 'status' && error.status !== undefined && error.status >= 500;
}

/**
 * An end that carries no answer of Partner Center's: the gateway's own (shed, refused by the
 * call budget or a 429 hold), the caller leaving, a timeout cut short, or anything before the
 * request was sent (the app token could not be had).
 */
function isUnanswered(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return true;
  return (
    error.kind === 'overloaded' ||
    error.kind === 'aborted' ||
    error.kind === 'rate-limited' ||
    error.kind === 'deferred' ||
    (error.kind === 'timeout' && error.cutShort)
  );
}

/** A failure handed to cockatiel; unwrapped before anyone sees it. */
class BreakerFailure extends Error {
  constructor(
    readonly error: unknown,
    /** False for a half-open probe that never got Partner Center's answer. */
    readonly answered: boolean,
  ) {
    super(answered ? 'counted outage' : 'unanswered probe');
  }
}

/** Whether the breaker opened (again) on a half-open probe that got no answer. */
function unansweredProbe(result: FailureReason<unknown> | { readonly isolated: true }): boolean {
  return 'error' in result && result.error instanceof BreakerFailure && !result.error.answered;
}

/**
 * How long the breaker stays open: `ms` after evidence, no time at all after a probe that got
 * no answer, so the next call probes instead.
 */
function halfOpenAfter(ms: number): IBackoffFactory<IHalfOpenAfterBackoffContext> {
  const next = (context: IHalfOpenAfterBackoffContext): IBackoff<IHalfOpenAfterBackoffContext> => ({
    duration: unansweredProbe(context.result) ? 0 : ms,
    next,
  });
  return { next };
}

/** A background call's guess when the breaker is about to probe, or probing: soon. */
const PROBE_WAIT_MS = 1000;

/** For a call without a signal of its own. */
const NEVER_ABORTED = new AbortController().signal;

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
  const breaker = circuitBreaker(handleType(BreakerFailure), {
    halfOpenAfter: halfOpenAfter(options.breakerHalfOpenMs),
    breaker: outages,
  });
  // Closing after a probe that Partner Center answered with a non-outage error skips success().
  breaker.onReset(() => {
    outages.reset();
  });
  /** When the open breaker lets a probe through (epoch ms), as `halfOpenAfter` decides it. */
  let probeAt = 0;
  breaker.onBreak((reason) => {
    probeAt = Date.now() + (unansweredProbe(reason) ? 0 : options.breakerHalfOpenMs);
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
      // A half-open probe without Partner Center's answer says nothing of its health. Passed on
      // unhandled, cockatiel would take it for a success and close; counted as an outage, the
      // breaker would stay open another period although Partner Center may be fine. So it
      // opens for no time at all (`halfOpenAfter`): the next call is the probe.
      if (breaker.state === CircuitState.HalfOpen && isUnanswered(error)) {
        throw new BreakerFailure(error, false);
      }
      if (!isOutage(error)) throw error;
      if (subject !== undefined) holds.failed(subject);
      if (outages.counts(subject, breaker.state)) throw new BreakerFailure(error, true);
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
          // Our own signal, not the one cockatiel passes: a call that waited for a half-open
          // probe is run again by cockatiel without its signal, and its client could not
          // cancel it.
          return await breaker.execute(() => attempt(fn, signal ?? NEVER_ABORTED, subject), signal);
        } catch (caught) {
          const error = caught instanceof BreakerFailure ? caught.error : caught;
          // A call that waited for a probe while its client left (cockatiel's own error).
          if (error instanceof TaskCancelledError) {
            throw new UpstreamError('aborted', 'cancelled: the client went away', { cause: error });
          }
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
    backgroundWaitMs(subject) {
      switch (breaker.state) {
        case CircuitState.Closed:
          return subject === undefined ? 0 : holds.remainingMs(subject);
        // Only an interactive call may probe: its answer is what decides, and it is counted.
        case CircuitState.HalfOpen:
          return PROBE_WAIT_MS;
        case CircuitState.Open:
        case CircuitState.Isolated:
          return Math.max(PROBE_WAIT_MS, probeAt - Date.now());
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
