import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Logger } from '../observability/logger.js';
import type { RedisConnection } from '../redis/connection.js';
import type { BudgetWindows } from './budget-windows.js';
import type { WindowLimiter } from './call-budget.js';

/** Shared: one budget for every replica on the Redis. Local: this replica's own. */
export type BudgetMode = 'shared' | 'local';
export const BUDGET_MODES: readonly BudgetMode[] = ['shared', 'local'];

export interface BudgetLimiter extends WindowLimiter {
  mode(): BudgetMode;
}

const KEY_PREFIX = 'pcgw:v1:budget';
/** One budget per Partner Center: every call of every replica spends from the same key. */
const KEY = 'partner-center';

/** Consults this limiter whenever the Redis one cannot, and says so. */
class InsuranceLimiter extends RateLimiterMemory {
  constructor(
    windows: BudgetWindows,
    private readonly onUse: () => void,
  ) {
    super({ points: windows.points, duration: windows.seconds, keyPrefix: KEY_PREFIX });
  }

  override consume(
    key: string | number,
    points?: number,
    options?: Record<string, unknown>,
  ): Promise<RateLimiterRes> {
    this.onUse();
    return super.consume(key, points, options);
  }
}

/**
 * rate-limiter-flexible's Redis limiter, with an in-memory insurance limiter of the same numbers
 * that answers whenever Redis cannot (`rejectIfRedisNotReady` with the connection's
 * `enableOfflineQueue: false` makes that immediate rather than after a timeout). While the
 * insurance answers, the fleet may exceed the budget by its replica count: logged once per
 * outage, and visible as the mode. Without Redis, the memory limiter alone.
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
  connection?.client.on('ready', shareAgain);

  return {
    onChange(listener) {
      connection?.client.on('ready', listener);
      connection?.client.on('close', listener);
    },
    async tryTake() {
      const usesBefore = insuranceUses;
      try {
        await limiter.consume(KEY);
        return { granted: true };
      } catch (refused) {
        // Anything but a refusal would be a bug in the limiter; better one call too many than
        // an operation failing because of the budget's plumbing.
        if (!(refused instanceof RateLimiterRes)) return { granted: true };
        return { granted: false, retryInMs: Math.max(1, refused.msBeforeNext) };
      } finally {
        // Redis answered, and no concurrent call fell back meanwhile: the budget is shared.
        if (insuranceUses === usesBefore) shareAgain();
      }
    },
    // A connection that is down sends the next call to the insurance limiter, called or not.
    mode: () => (connection?.isReady() === true ? mode : 'local'),
  };
}
