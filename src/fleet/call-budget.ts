import { onAbort } from '../partner-center/abort-fan-out.js';
import { UpstreamError } from '../partner-center/upstream-error.js';

export type LimiterAnswer =
  { readonly granted: true } | { readonly granted: false; readonly retryInMs: number };

/** One fixed-window limiter, shared or local (see `budget-limiter.ts`). */
export interface WindowLimiter {
  /**
   * Tells `listener` when the limiter behind it changes (Redis lost or back): what was learnt
   * about the current window no longer holds.
   */
  onChange?(listener: () => void): void;
  /** Spends one call if the current window has room; otherwise says when it ends. */
  tryTake(): Promise<LimiterAnswer>;
  /**
   * Spends one call reserved earlier (`budget-blocks.ts`), if one is in hand, without asking
   * anyone; false: ask `tryTake`.
   */
  takeReserved?(): boolean;
}

export type BudgetOutcome =
  /** It may be sent (at once or after waiting). */
  | 'granted'
  /** No room in time: answered RATE_LIMITED without a call. */
  | 'refused'
  /** Its caller gave up (client gone, deadline) while it waited; it spent nothing. */
  | 'abandoned';

export interface CallBudgetOptions {
  readonly limiter: WindowLimiter;
  /**
   * A cautious round trip (the in-flight limit's estimate): room that comes later than
   * `finishBy` minus this is no use, so such a waiter is refused at once.
   */
  readonly roundTripMs?: (() => number) | undefined;
  readonly observe?: ((outcome: BudgetOutcome, waitedSeconds: number) => void) | undefined;
}

export interface CallBudget {
  /**
   * Resolves (to the ms waited) once one call of the budget is spent for this attempt. Waits in
   * arrival order; rejects with `rate-limited` (and `retryAfterSeconds`) when no room comes by
   * `finishBy` (a `performance.now()` time), or with the signal's reason when it aborts.
   */
  take(signal: AbortSignal, finishBy: number): Promise<number>;
  /**
   * Spends one call at once if that needs no wait and no request (a reserved call in hand, no
   * one waiting ahead); false: call `take`. The caller has checked that its attempt is not over.
   */
  takeNow(): boolean;
  /** Calls waiting for room now. */
  waiting(): number;
}

interface Waiter {
  readonly finishBy: number;
  grant(): void;
  refuse(): void;
}

/** A timer needs a little slack to fire before the attempt's own timeout does. */
const MIN_MARGIN_MS = 10;

/**
 * Our own FIFO in front of the limiter (rate-limiter-flexible's `RateLimiterQueue` has no
 * per-waiter deadline: a waiter that gave up would still spend a call later). Only the head of
 * the queue asks the limiter, when the window it last saw has ended; a call that finds no one
 * waiting asks at once, so an idle budget costs at most one limiter round trip per call (the
 * shared limiter reserves calls in blocks: most calls find one in hand and ask nothing).
 * A waiter that leaves never spends: if it leaves while the head's request is on its way, the
 * call granted goes to the next waiter instead.
 */
export function createCallBudget(options: CallBudgetOptions): CallBudget {
  const { limiter, observe } = options;
  const margin = () => Math.max(MIN_MARGIN_MS, options.roundTripMs?.() ?? 0);
  const queue = new Set<Waiter>();
  /** `performance.now()` when the window last seen full ends; before it, asking is pointless. */
  let roomAt = 0;
  let pumping = false;
  /** Ends the pump's wait for `roomAt` early. */
  let wake: (() => void) | undefined;

  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wake = done;
    });

  limiter.onChange?.(() => {
    roomAt = 0;
    wake?.();
  });

  const refusal = (now: number) =>
    new UpstreamError('rate-limited', 'over the call budget: no room in time', {
      retryAfterSeconds: Math.max(1, Math.ceil((roomAt - now) / 1000)),
    });

  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      while (queue.size > 0) {
        const wait = roomAt - performance.now();
        if (wait > 0) await nap(wait);
        if (queue.size === 0) break;
        const answer = await limiter.tryTake();
        const now = performance.now();
        if (answer.granted) {
          // The head may have left during the round trip: the call goes to whoever is first now.
          const first = queue.values().next();
          if (first.done === true) break;
          queue.delete(first.value);
          first.value.grant();
          continue;
        }
        roomAt = now + answer.retryInMs;
        for (const waiter of queue) {
          if (waiter.finishBy - margin() < roomAt) {
            queue.delete(waiter);
            waiter.refuse();
          }
        }
      }
    } finally {
      pumping = false;
    }
  }

  function enqueue(signal: AbortSignal, finishBy: number, since: number): Promise<number> {
    return new Promise((resolve, reject) => {
      // It may have aborted while the limiter answered.
      if (signal.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const waited = () => performance.now() - since;
      const leave = () => {
        queue.delete(waiter);
        clearTimeout(timer);
        stopListening();
      };
      const abandon = () => {
        leave();
        observe?.('abandoned', waited() / 1000);
        reject(signal.reason as Error);
      };
      const waiter: Waiter = {
        finishBy,
        grant: () => {
          leave();
          const ms = waited();
          observe?.('granted', ms / 1000);
          resolve(ms);
        },
        refuse: () => {
          leave();
          observe?.('refused', waited() / 1000);
          reject(refusal(performance.now()));
        },
      };
      const now = performance.now();
      if (finishBy - margin() < roomAt) {
        observe?.('refused', waited() / 1000);
        reject(refusal(now));
        return;
      }
      // Given up on in time to answer RATE_LIMITED before the attempt's own timeout strikes.
      const timer = Number.isFinite(finishBy)
        ? setTimeout(
            () => {
              if (queue.has(waiter)) waiter.refuse();
            },
            Math.max(0, finishBy - margin() - now),
          )
        : undefined;
      queue.add(waiter);
      // Not a listener per waiter: many may wait under one signal.
      const stopListening = onAbort(signal, abandon);
      void pump();
    });
  }

  return {
    async take(signal, finishBy) {
      if (signal.aborted) throw signal.reason as Error;
      const since = performance.now();
      if (queue.size === 0 && since >= roomAt) {
        const answer = await limiter.tryTake();
        if (answer.granted) {
          observe?.('granted', 0);
          return 0;
        }
        roomAt = Math.max(roomAt, performance.now() + answer.retryInMs);
      }
      return enqueue(signal, finishBy, since);
    },
    takeNow() {
      if (queue.size > 0 || limiter.takeReserved?.() !== true) return false;
      observe?.('granted', 0);
      return true;
    },
    waiting: () => queue.size,
  };
}
