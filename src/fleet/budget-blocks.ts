import type { BudgetWindows } from './budget-windows.js';
import type { LimiterAnswer, LimiterGrant, WindowLimiter, WindowSeen } from './call-budget.js';
import { CallsInHand } from './calls-in-hand.js';

/** What one request for a block of the shared window answered. */
export type Reservation =
  | {
      readonly granted: true;
      /** Calls reserved: as many as asked, or fewer (the insurance limiter counts one by one). */
      readonly points: number;
      /** What the window had left after this block; undefined when not known. */
      readonly remaining: number | undefined;
      /** From when the request was sent until the window ends (0: spend at once or never). */
      readonly endsInMs: number;
    }
  | { readonly granted: false; readonly retryInMs: number };

/** The shared window (`budget-limiter.ts`): one request reserves `points` calls or none. */
export interface BlockSource {
  /** Never rejects: anything but a refusal is answered as a grant of one call. */
  reserve(points: number): Promise<Reservation>;
}

export interface BudgetBlocks extends WindowLimiter {
  readonly takeReserved: () => LimiterGrant | undefined;
  readonly seen: () => WindowSeen | undefined;
  /** The limiter behind changed (Redis lost or back): drop the calls in hand and what was learnt. */
  readonly forget: () => void;
}

/**
 * A block is at most 1/16 of a window's points, and sized by what this replica spent over 1/16
 * of a window: at a steady rate about 16 requests a window, and a replica can strand at most
 * 1/16 of the window when it ends.
 */
const BLOCK_SHARE = 16;

const GRANTED: LimiterGrant = { granted: true };

interface Ride {
  /** The `generation` it was sent in. */
  readonly generation: number;
  /** Callers it can still carry. */
  room: number;
  riders: number;
  /** Calls its riders may still take, once it is answered. */
  seats: number;
  /** When its window ends (`performance.now()`), once it is answered; 0: not known. */
  endsAt: number;
  answer: Promise<Reservation>;
}

/**
 * Spends the shared budget from blocks reserved in one request each, so that a call with a
 * reserved call in hand costs no Redis round trip (and no promise, through `takeReserved`).
 *
 * Never more than the window allows: a block is counted in the window when it is reserved, and a
 * call in hand is only spent before that window ends. The end is measured from when the request
 * was sent, so it comes no later than the window's own end; whatever is left then is void, never
 * carried into the next window (the price: under-spending by at most one block per replica and
 * window). A block is at least one call and at most `points / 16`; within that it is what this
 * replica spent in the last 1/16 of a window (or so far in this one, if more, so a burst grows
 * it quickly), no more than that rate would spend before the window ends, and no more than the
 * window was last seen to have left (a block that no longer fits is refused whole, and its
 * request still counts in Redis: the rest of that window is lost for the fleet, at most one
 * block). Callers that find no call in hand ride a request on its way while it has room, and
 * board in arrival order; a window seen full is refused here until it ends, without asking.
 * A call whose attempt was never sent goes back into the hand while its window runs: it was
 * counted in that window, and is spent in it or not at all.
 */
export function createBudgetBlocks(windows: BudgetWindows, source: BlockSource): BudgetBlocks {
  const maxBlock = Math.max(1, Math.floor(windows.points / BLOCK_SHARE));
  const stretchMs = (windows.seconds * 1000) / BLOCK_SHARE;

  const hand = new CallsInHand();
  /** The window as the last-sent answered request saw it (Redis answers in order). */
  let windowEndsAt = 0;
  let windowLeft: number | undefined;
  let seenSentAt = Number.NEGATIVE_INFINITY;
  /** Asked for by requests on their way, not yet counted in `windowLeft`. */
  let askedOnTheWay = 0;
  /** The last request on its way, while it may carry more callers. */
  let open: Ride | undefined;
  /** Bumped by `forget`: answers to requests sent before reach their riders only. */
  let generation = 0;
  /** Calls this replica spent, per stretch of 1/16 window: this one so far, and the one before. */
  let stretchStart = Number.NEGATIVE_INFINITY;
  let thisStretch = 0;
  let lastStretch = 0;

  const count = (now: number) => {
    if (now - stretchStart >= stretchMs) {
      lastStretch = now - stretchStart >= 2 * stretchMs ? 0 : thisStretch;
      thisStretch = 0;
      stretchStart = now;
    }
    thisStretch += 1;
  };

  /**
   * A call of the window ending at `endsAt`: one its attempt did not send goes back into the
   * hand while that window runs (it was counted there), for the next caller.
   */
  const grantOf = (sentIn: number, endsAt: number): LimiterGrant => ({
    granted: true,
    giveBack: () => sentIn === generation && hand.add(1, endsAt, performance.now()),
  });

  const spendInHand = (now: number): LimiterGrant | undefined => {
    const endsAt = hand.take(now);
    if (endsAt === 0) return undefined;
    count(now);
    return grantOf(generation, endsAt);
  };

  const blockSize = (now: number): number => {
    let size = Math.max(thisStretch, lastStretch);
    const leftMs = windowEndsAt - now;
    if (leftMs > 0) {
      if (leftMs < stretchMs) size = Math.ceil((size * leftMs) / stretchMs);
      if (windowLeft !== undefined) size = Math.min(size, windowLeft - askedOnTheWay);
    }
    return Math.min(maxBlock, Math.max(1, size));
  };

  const learn = (sentAt: number, endsAt: number, left: number | undefined) => {
    if (sentAt < seenSentAt) return;
    seenSentAt = sentAt;
    windowEndsAt = endsAt;
    windowLeft = left;
  };

  const start = (now: number): Ride => {
    const points = blockSize(now);
    const sent = generation;
    askedOnTheWay += points;
    const ride: Ride = {
      generation: sent,
      room: points,
      riders: 0,
      seats: 0,
      endsAt: 0,
      answer: source.reserve(points).then((answer) => {
        askedOnTheWay -= points;
        if (open === ride) open = undefined;
        if (answer.granted) {
          ride.seats = Math.min(answer.points, ride.riders);
          if (answer.endsInMs > 0) ride.endsAt = now + answer.endsInMs;
        }
        if (sent !== generation) return answer;
        if (!answer.granted) {
          learn(now, now + answer.retryInMs, 0);
          return answer;
        }
        if (answer.endsInMs > 0) {
          learn(now, ride.endsAt, answer.remaining);
          hand.add(answer.points - ride.seats, ride.endsAt, performance.now());
        }
        return answer;
      }),
    };
    open = ride;
    return ride;
  };

  const board = (ride: Ride, answer: Reservation): LimiterAnswer | Promise<LimiterAnswer> => {
    if (!answer.granted) return answer;
    // Answered after its window ended: those calls are void, and a new window has begun.
    if (ride.endsAt !== 0 && performance.now() >= ride.endsAt) return ask(performance.now());
    if (ride.seats > 0) {
      ride.seats -= 1;
      return ride.endsAt === 0 ? GRANTED : grantOf(ride.generation, ride.endsAt);
    }
    // Fewer calls than riders (the insurance answered): each of the others asks on its own.
    return source.reserve(1).then((alone) => (alone.granted ? GRANTED : alone));
  };

  const tryTake = (): Promise<LimiterAnswer> => {
    const now = performance.now();
    const inHand = spendInHand(now);
    if (inHand !== undefined) return Promise.resolve(inHand);
    count(now);
    return ask(now);
  };

  function ask(now: number): Promise<LimiterAnswer> {
    if (windowLeft === 0 && now < windowEndsAt) {
      return Promise.resolve({ granted: false, retryInMs: Math.max(1, windowEndsAt - now) });
    }
    const ride = open !== undefined && open.room > 0 ? open : start(now);
    ride.room -= 1;
    ride.riders += 1;
    return ride.answer.then((answer) => board(ride, answer));
  }

  return {
    tryTake,
    takeReserved: () => spendInHand(performance.now()),
    // The last-sent answered request's view; blocks asked for since count as if granted.
    seen: () =>
      windowLeft === undefined || performance.now() >= windowEndsAt
        ? undefined
        : {
            points: windows.points,
            counted: windows.points - windowLeft + askedOnTheWay,
            endsAt: windowEndsAt,
          },
    forget: () => {
      generation += 1;
      hand.clear();
      open = undefined;
      windowEndsAt = 0;
      windowLeft = undefined;
      seenSentAt = Number.NEGATIVE_INFINITY;
    },
  };
}
