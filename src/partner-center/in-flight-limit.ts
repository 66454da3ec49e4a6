import { onAbort } from './abort-fan-out.js';
import type { QueueObserver } from './observer.js';
import { UpstreamError } from './upstream-error.js';

/**
 * At most `max` upstream calls in flight; the rest wait in arrival order. A slot freed goes
 * straight to the next waiter in the same tick. (Leaving the bound to the undici pool's own queue
 * costs each queued call two event-loop turns: the freed connection is handed on only after a
 * `setImmediate`, and undici then checks the idle socket for one more before writing.)
 *
 * FIFO with deadline-aware dropping: a waiter whose remaining time can no longer cover a
 * cautious round trip (`holdTimes.cautiousMs()`) leaves the queue at once with an `overloaded`
 * error instead of holding on until its attempt times out. FIFO, not LIFO, because admission
 * control keeps the queue short and an operation's calls queue together: serving the newest
 * first would strand the older half-served operations, wasting the calls they already made.
 */
export interface InFlightLimit {
  /**
   * Waits for a slot (giving up when `signal` aborts); call the returned function to free it.
   * `finishBy` (a `performance.now()` time) is when the call must be done: a waiter that can
   * no longer make it is dropped.
   */
  acquire(signal: AbortSignal, finishBy?: number): Promise<Release>;
  /**
   * A slot now if one is free, as `acquire` would grant it at once; else undefined. Lets a
   * caller make the signal `acquire` needs only when it has to wait.
   */
  tryAcquire(): Release | undefined;
  /** Calls holding a slot and calls waiting for one, right now. */
  load(): { readonly active: number; readonly queued: number };
}

/**
 * How a slot's call ended, which decides what its hold time (from the grant to the release)
 * says about Partner Center's round trip.
 */
export type SlotEnd =
  /** Partner Center answered, with any status: the hold time is a round trip. */
  | 'answered'
  /** The attempt ran out of time: the round trip is at least the hold time (censored). */
  | 'timed-out'
  /** Cancelled, or failed before a whole answer: the hold time says nothing. */
  | 'unmeasured';

/** Frees the slot, saying how its call ended. */
export type Release = (end: SlotEnd) => void;

/** What the limit learns from, and asks of, recent hold times. */
export interface HoldTimeRecorder {
  /** One answered call's hold time: an upstream round trip. */
  record(ms: number): void;
  /** One timed-out call's hold time: the round trip took at least this long. */
  censored(atLeastMs: number): void;
  /** A round trip that few calls exceed. */
  cautiousMs(): number;
}

export interface InFlightLimitOptions {
  readonly holdTimes?: HoldTimeRecorder | undefined;
  readonly observer?: QueueObserver | undefined;
}

const NO_RELEASE: Release = () => undefined;

export const NO_LIMIT: InFlightLimit = {
  acquire: () => Promise.resolve(NO_RELEASE),
  tryAcquire: () => NO_RELEASE,
  load: () => ({ active: 0, queued: 0 }),
};

interface Waiter {
  readonly finishBy: number;
  grant(): void;
  drop(): void;
}

export function createInFlightLimit(
  max: number,
  options: InFlightLimitOptions = {},
): InFlightLimit {
  const { holdTimes, observer } = options;
  let active = 0;
  const waiting = new Set<Waiter>();

  const hopeless = (waiter: Waiter, now: number): boolean =>
    holdTimes !== undefined && waiter.finishBy - now < holdTimes.cautiousMs();

  function release(): void {
    const now = performance.now();
    for (const waiter of waiting) {
      waiting.delete(waiter);
      // Its own timer would drop it soon; it must not take the slot first.
      if (hopeless(waiter, now)) {
        waiter.drop();
        continue;
      }
      waiter.grant();
      return;
    }
    active -= 1;
  }

  function slot(): Release {
    const grantedAt = performance.now();
    let released = false;
    return (end) => {
      if (released) return;
      released = true;
      if (holdTimes !== undefined && end !== 'unmeasured') {
        const heldMs = performance.now() - grantedAt;
        if (end === 'answered') holdTimes.record(heldMs);
        else holdTimes.censored(heldMs);
      }
      release();
    };
  }

  // A free slot means nobody waits: release() hands slots on before `active` drops.
  function grantNow(): Release | undefined {
    if (active >= max) return undefined;
    active += 1;
    observer?.left('granted', 0);
    return slot();
  }

  return {
    acquire(signal, finishBy = Number.POSITIVE_INFINITY) {
      if (signal.aborted) return Promise.reject(signal.reason as Error);
      const granted = grantNow();
      if (granted !== undefined) return Promise.resolve(granted);
      const enqueuedAt = performance.now();
      const waited = () => (performance.now() - enqueuedAt) / 1000;
      return new Promise((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const leave = () => {
          clearTimeout(timer);
          stopListening();
        };
        // Set once it waits: a waiter dropped at once never listened.
        let stopListening = (): void => undefined;
        const abandon = () => {
          waiting.delete(waiter);
          leave();
          observer?.left('abandoned', waited());
          reject(signal.reason as Error);
        };
        const waiter: Waiter = {
          finishBy,
          // The slot passes to this waiter without `active` changing.
          grant: () => {
            leave();
            observer?.left('granted', waited());
            resolve(slot());
          },
          drop: () => {
            leave();
            observer?.left('dropped', waited());
            reject(
              new UpstreamError(
                'overloaded',
                'shed while queued: too little time left for a round trip',
                { retryAfterSeconds: 1 },
              ),
            );
          },
        };
        if (hopeless(waiter, enqueuedAt)) {
          waiter.drop();
          return;
        }
        waiting.add(waiter);
        // Not a listener per waiter: many may wait under one signal.
        stopListening = onAbort(signal, abandon);
        // Drop it the moment hope runs out; the estimate may have moved by then, so judge again.
        const arm = () => {
          if (holdTimes === undefined || !Number.isFinite(finishBy)) return;
          const left = finishBy - holdTimes.cautiousMs() - performance.now();
          timer = setTimeout(
            () => {
              if (!waiting.has(waiter)) return;
              if (!hopeless(waiter, performance.now())) {
                arm();
                return;
              }
              waiting.delete(waiter);
              waiter.drop();
            },
            Math.max(1, left),
          );
        };
        arm();
      });
    },
    tryAcquire: grantNow,
    load: () => ({ active, queued: waiting.size }),
  };
}
