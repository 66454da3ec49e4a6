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
  /**
   * A slot for a background (`watch`) call, only if it takes nothing an interactive call wants:
   * nobody waits, a slot is free, and background calls hold fewer than half the slots (rounded
   * up: with one slot, it alone). Never queues. `yieldSlot` is told when interactive calls have
   * waited a cautious round trip for slots while this call held one: it must end its exchange
   * at once and release (a hung poll never keeps interactive calls waiting until its timeout).
   * A background slot's timeout is not censored into the hold-time estimate.
   */
  tryAcquireBackground(yieldSlot: () => void): Release | undefined;
  /**
   * Interactive calls holding a slot and calls waiting for one, right now. Background calls are
   * left out: admission (its only reader) must never refuse an operation because of polls, and a
   * poll holds its slot at most a cautious round trip once anyone waits.
   */
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
  tryAcquireBackground: () => NO_RELEASE,
  load: () => ({ active: 0, queued: 0 }),
};

interface Waiter {
  readonly finishBy: number;
  grant(): void;
  drop(): void;
}

/** A slot held by a background call. */
interface Poll {
  readonly grantedAt: number;
  readonly yieldSlot: () => void;
  /** Told to yield; it releases soon, and counts towards the waiters it makes room for. */
  yielded: boolean;
}

export function createInFlightLimit(
  max: number,
  options: InFlightLimitOptions = {},
): InFlightLimit {
  const { holdTimes, observer } = options;
  /** Slots held, by interactive and background calls alike. */
  let active = 0;
  const waiting = new Set<Waiter>();
  /** Background slots in the order they were granted, so the longest held yields first. */
  const polls = new Set<Poll>();
  const maxPolls = Math.ceil(max / 2);
  let yielding = 0;
  let yieldTimer: NodeJS.Timeout | undefined;

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

  function slot(poll?: Poll): Release {
    const grantedAt = performance.now();
    let released = false;
    return (end) => {
      if (released) return;
      released = true;
      if (poll !== undefined) {
        polls.delete(poll);
        if (poll.yielded) yielding -= 1;
        if (polls.size === 0) clearTimeout(yieldTimer);
      }
      // A poll's answer is a round trip like any other; its timeout is not: one slow poll must
      // never raise the cautious estimate by which interactive calls are shed and refused.
      const counted = poll === undefined ? end : end === 'answered' ? end : 'unmeasured';
      if (holdTimes !== undefined && counted !== 'unmeasured') {
        const heldMs = performance.now() - grantedAt;
        if (counted === 'answered') holdTimes.record(heldMs);
        else holdTimes.censored(heldMs);
      }
      release();
    };
  }

  /**
   * Interactive calls wait: polls that have held their slot for a cautious round trip give it
   * up, one per waiter, longest held first. A poll that answers within a round trip hands its
   * slot on as any call would, so a healthy poll is seldom cut; a hung one costs the waiters a
   * round trip, not its timeout. (Cutting it at once would waste calls already sent; never
   * cutting it would let one hung poll shed every interactive call behind it.)
   */
  function yieldToWaiters(): void {
    clearTimeout(yieldTimer);
    yieldTimer = undefined;
    let owed = waiting.size - yielding;
    if (owed <= 0) return;
    const now = performance.now();
    const patienceMs = holdTimes?.cautiousMs() ?? 0;
    for (const poll of polls) {
      if (owed <= 0) return;
      if (poll.yielded) continue;
      const due = poll.grantedAt + patienceMs;
      if (due > now) {
        // Granted in order: the others are due later still.
        yieldTimer = setTimeout(yieldToWaiters, Math.max(1, due - now));
        return;
      }
      poll.yielded = true;
      yielding += 1;
      owed -= 1;
      poll.yieldSlot();
    }
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
        if (polls.size > 0) yieldToWaiters();
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
    tryAcquireBackground(yieldSlot) {
      // Free slots go to waiters before `active` drops, so `active < max` also means no waiter;
      // checked anyway, as the rule is "nobody waits".
      if (waiting.size > 0 || active >= max || polls.size >= maxPolls) return undefined;
      active += 1;
      const poll: Poll = { grantedAt: performance.now(), yieldSlot, yielded: false };
      polls.add(poll);
      return slot(poll);
    },
    load: () => ({ active: active - polls.size, queued: waiting.size }),
  };
}
