import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Logger } from '../observability/logger.js';
import type { RedisConnection } from '../redis/connection.js';
import { createBudgetBlocks, type Reservation } from './budget-blocks.js';
import type { BudgetWindows } from './budget-windows.js';
import type { LimiterAnswer, LimiterGrant, WindowLimiter, WindowSeen } from './call-budget.js';
import { CallsInHand } from './calls-in-hand.js';

/** Shared: one budget for every replica on the Redis. Local: this replica's own. */
export type BudgetMode = 'shared' | 'local';
export const BUDGET_MODES: readonly BudgetMode[] = ['shared', 'local'];

export interface BudgetLimiter extends WindowLimiter {
  mode(): BudgetMode;
}

const KEY_PREFIX = 'pcgw:v1:budget';
/** One budget per Partner Center: every call of every replica spends from the same key. */
const KEY = 'partner-center';

/**
 * Consults this limiter whenever the Redis one cannot, and says so. It counts calls one by one,
 * as it always did: a block the Redis limiter asked for is one call here.
 */
class InsuranceLimiter extends RateLimiterMemory {
  constructor(
    windows: BudgetWindows,
    private readonly onUse: () => void,
  ) {
    super({ points: windows.points, duration: windows.seconds, keyPrefix: KEY_PREFIX });
  }

  override consume(
    key: string | number,
    _points?: number,
    options?: Record<string, unknown>,
  ): Promise<RateLimiterRes> {
    this.onUse();
    return super.consume(key, 1, options);
  }
}

/**
 * rate-limiter-flexible's Redis limiter, with an in-memory insurance limiter of the same numbers
 * that answers whenever Redis cannot: at once while the connection is not ready (closed, or
 * Redis not answering on it, `connection.ts`), and after a command's timeout otherwise. While
 * the insurance answers, the fleet may exceed the budget by its replica count: logged once per
 * outage, and visible as the mode. Without Redis, the memory limiter alone. Either way the call
 * budget keeps each replica's own sends within the budget (`replica-record.ts`).
 *
 * While Redis is up, calls are reserved from it in blocks (`budget-blocks.ts`): one `consume` of
 * k points, spent here one call at a time. While it is not, each call asks the insurance, as
 * before; a change either way drops the calls in hand. A call granted and never sent goes back
 * to the window that counted it while that runs: to the blocks' hand, or to a hand of the
 * insurance's own window.
 */
export function createBudgetLimiter(
  windows: BudgetWindows,
  connection: RedisConnection | undefined,
  logger: Logger,
): BudgetLimiter {
  // What the last calls found; shared until a call finds Redis away.
  let mode: BudgetMode = connection === undefined ? 'local' : 'shared';
  let insuranceUses = 0;
  const insurance = new InsuranceLimiter(windows, () => {
    insuranceUses += 1;
    if (mode === 'local') return;
    mode = 'local';
    logger.warn(
      { budgetPerWindow: windows.points, windowSeconds: windows.seconds },
      'Redis unreachable: the call budget is kept by each replica alone until it is back (the fleet may exceed it by its replica count)',
    );
  });
  const limiter: RateLimiterAbstract =
    connection === undefined
      ? insurance
      : new RateLimiterRedis({
          storeClient: connection.client,
          points: windows.points,
          duration: windows.seconds,
          keyPrefix: KEY_PREFIX,
          rejectIfRedisNotReady: true,
          insuranceLimiter: insurance,
        });

  const shareAgain = () => {
    if (connection === undefined || mode === 'shared') return;
    mode = 'shared';
    logger.info({}, 'Redis reachable again: the call budget is shared by the fleet again');
  };

  async function reserve(points: number): Promise<Reservation> {
    const usesBefore = insuranceUses;
    try {
      // Not ready: the insurance at once, rather than a command that would wait for a timeout.
      const answer = await (connection?.isReady() === true ? limiter : insurance).consume(
        KEY,
        points,
      );
      // Also when a concurrent call fell back: taking one call for a block is always safe.
      if (insuranceUses !== usesBefore) {
        return { granted: true, points: 1, remaining: undefined, endsInMs: 0 };
      }
      return {
        granted: true,
        points,
        remaining: answer.remainingPoints,
        endsInMs: answer.msBeforeNext,
      };
    } catch (refused) {
      // Anything but a refusal would be a bug in the limiter; better one call too many than
      // an operation failing because of the budget's plumbing.
      if (!(refused instanceof RateLimiterRes)) {
        return { granted: true, points: 1, remaining: undefined, endsInMs: 0 };
      }
      return { granted: false, retryInMs: Math.max(1, refused.msBeforeNext) };
    } finally {
      // Redis answered, and no concurrent call fell back meanwhile: the budget is shared.
      if (insuranceUses === usesBefore) shareAgain();
    }
  }

  /** Calls of the insurance's window given back by attempts that were not sent. */
  const localHand = new CallsInHand();
  const localGrant = (endsAt: number): LimiterGrant => ({
    granted: true,
    giveBack: () => localHand.add(1, endsAt, performance.now()),
  });
  /** The insurance's window as its last answer here left it (for background calls' share). */
  let localLeft = 0;
  let localEndsAt = 0;
  const localSeen = (): WindowSeen | undefined =>
    performance.now() >= localEndsAt
      ? undefined
      : { points: windows.points, counted: windows.points - localLeft, endsAt: localEndsAt };
  /** One call of this replica's own window (Redis away, or none configured). */
  async function takeLocally(): Promise<LimiterAnswer> {
    // Before asking: the window's end measured from here is no later than its own.
    const askedAt = performance.now();
    const endsAt = localHand.take(askedAt);
    if (endsAt !== 0) return localGrant(endsAt);
    try {
      const answer = await insurance.consume(KEY, 1);
      localLeft = answer.remainingPoints;
      localEndsAt = askedAt + answer.msBeforeNext;
      return localGrant(localEndsAt);
    } catch (refused) {
      if (!(refused instanceof RateLimiterRes)) return { granted: true };
      localLeft = 0;
      localEndsAt = askedAt + refused.msBeforeNext;
      return { granted: false, retryInMs: Math.max(1, refused.msBeforeNext) };
    }
  }
  // A connection that is not ready sends the next call to the insurance limiter, called or not.
  const currentMode = () => (connection?.isReady() === true ? mode : 'local');

  if (connection === undefined) {
    return { tryTake: takeLocally, seen: localSeen, mode: currentMode };
  }
  const blocks = createBudgetBlocks(windows, { reserve });
  const listeners: (() => void)[] = [];
  connection.onReadyChange((ready) => {
    blocks.forget();
    if (ready) shareAgain();
    for (const listener of listeners) listener();
  });
  return {
    onChange(listener) {
      listeners.push(listener);
    },
    tryTake: () => (connection.isReady() ? blocks.tryTake() : takeLocally()),
    takeReserved: blocks.takeReserved,
    seen: () => (connection.isReady() ? blocks.seen() : localSeen()),
    mode: currentMode,
  };
}
