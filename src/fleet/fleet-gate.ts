import { sleep } from '../partner-center/abort-fan-out.js';
import { FREE_PASSAGE, type CallGate } from '../partner-center/call-gate.js';
import { deferred, UpstreamError } from '../partner-center/upstream-error.js';
import type { CallBudget } from './call-budget.js';
import { LocalHolds } from './local-holds.js';
import { MAX_HOLD_MS, type HoldBoard } from './shared-holds.js';

/** Keys a replica's polls hold back after their own 429s; few are throttled at once. */
const MAX_BACKGROUND_HOLDS = 1_000;

export type RefusalReason = 'budget' | 'hold';

export interface FleetGateOptions {
  readonly holds: HoldBoard;
  /** Absent: no `UPSTREAM_MAX_CALLS_PER_MINUTE`. */
  readonly budget?: CallBudget | undefined;
  /** Longest hold worth waiting out (`UPSTREAM_RETRY_AFTER_MAX_MS`), as for a `Retry-After`. */
  readonly retryAfterMaxMs: number;
  /** A cautious round trip: a hold that ends later than `finishBy` minus this is not waited for. */
  readonly roundTripMs?: (() => number) | undefined;
  readonly onRefused?: ((reason: RefusalReason) => void) | undefined;
}

/**
 * Holds first, then the budget: a call that may not be sent yet must not spend a call of the
 * budget. A hold is waited out under today's `Retry-After` rules (short enough, and done before
 * the call must be), or answered RATE_LIMITED at once with `retryAfter`.
 */
export function createFleetGate(options: FleetGateOptions): CallGate {
  const { holds, budget, onRefused } = options;
  // A 429 answered to a poll holds only this replica's polls of that key: shared, it would get
  // interactive reads of that customer refused RATE_LIMITED because of background work.
  const pollHolds = new LocalHolds(MAX_BACKGROUND_HOLDS);
  return {
    async pass(key, signal, finishBy) {
      for (let remaining = holds.remainingMs(key); remaining > 0;) {
        const margin = options.roundTripMs?.() ?? 0;
        if (
          remaining > options.retryAfterMaxMs ||
          performance.now() + remaining + margin > finishBy
        ) {
          onRefused?.('hold');
          throw new UpstreamError('rate-limited', 'held after a 429 with Retry-After', {
            retryAfterSeconds: Math.max(1, Math.ceil(remaining / 1000)),
          });
        }
        await sleep(remaining, signal);
        // Another 429 may have extended it meanwhile.
        remaining = holds.remainingMs(key);
      }
      if (budget === undefined) return FREE_PASSAGE;
      try {
        return await budget.take(signal, finishBy);
      } catch (error) {
        if (error instanceof UpstreamError && error.kind === 'rate-limited') onRefused?.('budget');
        throw error;
      }
    },
    passNow(key) {
      if (holds.remainingMs(key) > 0) return undefined;
      return budget === undefined ? FREE_PASSAGE : budget.takeNow();
    },
    throttled(key, retryAfterMs) {
      holds.hold(key, retryAfterMs);
    },
    async passBackground(key) {
      const heldMs = Math.max(holds.remainingMs(key), pollHolds.remainingMs(key));
      if (heldMs > 0) throw deferred('held after a 429 with Retry-After', heldMs);
      return budget === undefined ? FREE_PASSAGE : budget.takeBackground();
    },
    throttledBackground(key, retryAfterMs) {
      const now = Date.now();
      pollHolds.hold(key, now + Math.min(retryAfterMs, MAX_HOLD_MS), now);
    },
  };
}
