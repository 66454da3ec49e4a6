import type { Logger } from '../observability/logger.js';
import type { CallGate } from '../partner-center/call-gate.js';
import type { RedisConnection } from '../redis/connection.js';
import { createBudgetLimiter, type BudgetMode } from './budget-limiter.js';
import { budgetWindows, type BudgetWindows } from './budget-windows.js';
import { createCallBudget, type BudgetOutcome } from './call-budget.js';
import { createFleetGate, type RefusalReason } from './fleet-gate.js';
import { createSharedHolds, type HoldSource } from './shared-holds.js';

/** What the fleet's policies report (metrics); no customer id passes through it. */
export interface FleetObserver {
  readonly budgetLeft: (outcome: BudgetOutcome, waitedSeconds: number) => void;
  readonly refused: (reason: RefusalReason) => void;
  readonly held: (source: HoldSource) => void;
}

export interface FleetState {
  /** Undefined without `UPSTREAM_MAX_CALLS_PER_MINUTE`. */
  readonly budgetMode: BudgetMode | undefined;
  readonly budgetWaiting: number;
  readonly holds: number;
}

export interface Fleet {
  readonly gate: CallGate;
  /** The windows that keep the budget, if there is one. */
  readonly windows: BudgetWindows | undefined;
  state(): FleetState;
}

export interface FleetOptions {
  /** `UPSTREAM_MAX_CALLS_PER_MINUTE`; undefined: no budget. */
  readonly callsPerMinute: number | undefined;
  readonly retryAfterMaxMs: number;
  /** `REDIS_URL`'s connection; undefined: every policy is this process's own. */
  readonly connection: RedisConnection | undefined;
  readonly logger: Logger;
  /** A cautious upstream round trip (the in-flight limit's hold-time estimate). */
  readonly roundTripMs?: (() => number) | undefined;
  readonly observer?: FleetObserver | undefined;
}

/** The gateway acting towards Partner Center as one client: shared budget and shared holds. */
export function createFleet(options: FleetOptions): Fleet {
  const { connection, logger, observer, roundTripMs } = options;
  const holds = createSharedHolds({ connection, logger, onHold: observer?.held });
  const windows =
    options.callsPerMinute === undefined ? undefined : budgetWindows(options.callsPerMinute);
  const limiter =
    windows === undefined ? undefined : createBudgetLimiter(windows, connection, logger);
  const budget =
    limiter === undefined
      ? undefined
      : createCallBudget({
          limiter,
          roundTripMs,
          observe: observer?.budgetLeft,
          // What the windows let through in any 60 s (≤ the budget), now whatever Redis does.
          replicaCallsPerMinute:
            windows === undefined ? undefined : (windows.perMinute + 1) * windows.points,
        });
  return {
    gate: createFleetGate({
      holds,
      budget,
      retryAfterMaxMs: options.retryAfterMaxMs,
      roundTripMs,
      onRefused: observer?.refused,
    }),
    windows,
    state: () => ({
      budgetMode: limiter?.mode(),
      budgetWaiting: budget?.waiting() ?? 0,
      holds: holds.size(),
    }),
  };
}
