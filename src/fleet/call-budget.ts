import { onAbort } from '../partner-center/abort-fan-out.js';
import type { Passage } from '../partner-center/call-gate.js';
import { deferred, UpstreamError } from '../partner-center/upstream-error.js';
import { createReplicaRecord } from './replica-record.js';

/** One call a limiter granted. */
export interface LimiterGrant {
  readonly granted: true;
  /**
   * Puts the call back into its window, for the next caller, if that window still runs (an
   * attempt that was never sent): true if it did; absent or false, the call is lost.
   */
  readonly giveBack?: (() => boolean) | undefined;
}

export type LimiterAnswer = LimiterGrant | { readonly granted: false; readonly retryInMs: number };

/** The current window as the limiter last saw it. */
export interface WindowSeen {
  /** The window's points. */
  readonly points: number;
  /**
   * Calls it had counted for the whole fleet when last seen (`points` less the `remaining` of
   * the last answer), this replica's calls in hand and requests on their way included.
   */
  readonly counted: number;
  /** When it ends (`performance.now()`). */
  readonly endsAt: number;
}

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
   * anyone; undefined: ask `tryTake`.
   */
  takeReserved?(): LimiterGrant | undefined;
  /** What is known of the current window; undefined when nothing is (or it has ended). */
  seen?(): WindowSeen | undefined;
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
  /**
   * The most calls this replica may send in any 60 s, whatever the limiter does (a Redis
   * restarted empty, a switch between shared and local mode): see `replica-record.ts`.
   * Absent: the limiter alone.
   */
  readonly replicaCallsPerMinute?: number | undefined;
}

export interface CallBudget {
  /**
   * Resolves once one call of the budget is spent for this attempt; the caller settles it when
   * the attempt is sent, or given up before. Waits in arrival order; rejects with
   * `rate-limited` (and `retryAfterSeconds`) when no room comes by `finishBy` (a
   * `performance.now()` time), or with the signal's reason when it aborts.
   */
  take(signal: AbortSignal, finishBy: number): Promise<Passage>;
  /**
   * Spends one call at once if that needs no wait and no request (a reserved call in hand, no
   * one waiting ahead); undefined: call `take`. The caller has checked that its attempt is not
   * over.
   */
  takeNow(): Passage | undefined;
  /**
   * For a background (`watch`) call: one call at once, or a rejection with `deferred`. Never
   * waits for room, never ahead of a waiter, and only within the first half of the window's
   * points as the fleet counted them (see `createCallBudget`).
   */
  takeBackground(): Promise<Passage>;
  /** Calls waiting for room now. */
  waiting(): number;
}

interface Waiter {
  readonly finishBy: number;
  grant(answer: LimiterGrant): void;
  refuse(): void;
}

/** A timer needs a little slack to fire before the attempt's own timeout does. */
const MIN_MARGIN_MS = 10;
/** A background call's guess when to look again if nothing better is known. */
const LOOK_AGAIN_MS = 1000;

/** Calls of a window that background calls may be among: the first half, rounded down. */
export const backgroundShare = (points: number): number => Math.floor(points / 2);

/**
 * Our own FIFO in front of the limiter (rate-limiter-flexible's `RateLimiterQueue` has no
 * per-waiter deadline: a waiter that gave up would still spend a call later). Only the head of
 * the queue asks the limiter, when the window it last saw has ended; a call that finds no one
 * waiting asks at once, so an idle budget costs at most one limiter round trip per call (the
 * shared limiter reserves calls in blocks: most calls find one in hand and ask nothing).
 * A waiter that leaves never spends: if it leaves while the head's request is on its way, the
 * call granted goes to the next waiter instead. A call granted but never sent (shed from the
 * slot queue, cancelled, timed out there) is given back to its window while that runs, and
 * the next waiter gets it: one attempt that could not be sent costs the others nothing.
 *
 * Background (`watch`) calls spend the same budget, since Partner Center counts every call, but
 * only the first half of each window: a poll takes a call only while no one waits, and only if
 * the window, as last seen, had counted fewer than ⌊points/2⌋ calls before it and no more than
 * that with it. "Last seen" is the limiter's latest answer (`WindowSeen`): the shared limiter
 * reserves in blocks, so what other replicas reserved since is unknown until this one reserves
 * again, and a remembered count can only be low. It is still safe: a call in hand was counted
 * when its block was reserved, so a poll spending it later spends a call counted while the count
 * was below half; a poll that reserves learns the count with its own block in it. So every
 * poll's call is among the first ⌊points/2⌋ the fleet counted in its window: polls spend at most
 * half of any window, and interactive calls always have the rest. The price is polls getting a
 * little less than half (a block that takes the count past half is refused to them whole). A
 * poll that finds the window past half, or cannot tell (nothing known, or the insurance
 * answered), gives its call back (to the hand, for the next interactive caller) and is deferred.
 */
export function createCallBudget(options: CallBudgetOptions): CallBudget {
  const { limiter, observe } = options;
  const margin = () => Math.max(MIN_MARGIN_MS, options.roundTripMs?.() ?? 0);
  const record =
    options.replicaCallsPerMinute === undefined
      ? undefined
      : createReplicaRecord(options.replicaCallsPerMinute);
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

  /** What was learnt about the window no longer holds: the head asks again now. */
  const lookAgain = () => {
    roomAt = 0;
    wake?.();
  };
  limiter.onChange?.(lookAgain);

  /** One call of the limiter, within this replica's own record of what it sent. */
  async function ask(): Promise<LimiterAnswer> {
    const wait = record?.waitMs(performance.now()) ?? 0;
    if (wait > 0) return { granted: false, retryInMs: wait };
    record?.hold();
    const answer = await limiter.tryTake();
    if (!answer.granted) record?.drop();
    return answer;
  }

  /** Undoes a grant no attempt will use. */
  const unused = (grant: LimiterGrant) => {
    record?.drop();
    if (grant.giveBack?.() === true) lookAgain();
  };

  const passage = (grant: LimiterGrant, waitedMs: number): Passage => {
    let open = true;
    return {
      budgetWaitMs: waitedMs,
      settle(sent) {
        if (!open) return;
        open = false;
        if (sent) record?.sent(performance.now());
        else unused(grant);
      },
    };
  };

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
        const answer = await ask();
        const now = performance.now();
        if (answer.granted) {
          // The head may have left during the round trip: the call goes to whoever is first now.
          const first = queue.values().next();
          if (first.done === true) {
            unused(answer);
            break;
          }
          queue.delete(first.value);
          first.value.grant(answer);
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

  function enqueue(signal: AbortSignal, finishBy: number, since: number): Promise<Passage> {
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
        grant: (answer) => {
          leave();
          const ms = waited();
          observe?.('granted', ms / 1000);
          resolve(passage(answer, ms));
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

  /** Whether a background call may be (or may have been) counted in the window seen now. */
  const backgroundRoom = (now: number, including: 0 | 1): 'room' | 'full' | 'unknown' => {
    const seen = limiter.seen?.();
    if (seen === undefined || now >= seen.endsAt) return 'unknown';
    return seen.counted + 1 - including <= backgroundShare(seen.points) ? 'room' : 'full';
  };
  const windowEndMs = (now: number) => {
    const seen = limiter.seen?.();
    return seen === undefined ? LOOK_AGAIN_MS : seen.endsAt - now;
  };

  async function takeBackground(): Promise<Passage> {
    const now = performance.now();
    // Interactive callers waiting for room come first; a window seen full is not asked again.
    if (queue.size > 0) throw deferred('interactive calls wait for the call budget', LOOK_AGAIN_MS);
    if (now < roomAt) throw deferred('the call budget has no room', roomAt - now);
    if (backgroundRoom(now, 0) === 'full') {
      throw deferred("over background calls' share of the call budget", windowEndMs(now));
    }
    const wait = record?.waitMs(now) ?? 0;
    if (wait > 0) throw deferred("over this replica's own record of calls", wait);
    let grant = limiter.takeReserved?.();
    if (grant !== undefined) {
      record?.hold();
    } else {
      const answer = await ask();
      if (!answer.granted) {
        roomAt = Math.max(roomAt, performance.now() + answer.retryInMs);
        throw deferred('the call budget has no room', answer.retryInMs);
      }
      grant = answer;
    }
    // Judged again with what this call's own reservation may have taught.
    const after = performance.now();
    if (backgroundRoom(after, 1) !== 'room') {
      unused(grant);
      throw deferred("over background calls' share of the call budget", windowEndMs(after));
    }
    return passage(grant, 0);
  }

  return {
    takeBackground,
    async take(signal, finishBy) {
      if (signal.aborted) throw signal.reason as Error;
      const since = performance.now();
      if (queue.size === 0 && since >= roomAt) {
        const answer = await ask();
        if (answer.granted) {
          observe?.('granted', 0);
          return passage(answer, 0);
        }
        roomAt = Math.max(roomAt, performance.now() + answer.retryInMs);
      }
      return enqueue(signal, finishBy, since);
    },
    takeNow() {
      if (queue.size > 0 || limiter.takeReserved === undefined) return undefined;
      if (record !== undefined && record.waitMs(performance.now()) > 0) return undefined;
      const grant = limiter.takeReserved();
      if (grant === undefined) return undefined;
      record?.hold();
      observe?.('granted', 0);
      return passage(grant, 0);
    },
    waiting: () => queue.size,
  };
}
