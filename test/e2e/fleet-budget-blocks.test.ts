import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBudgetLimiter } from '../../src/fleet/budget-limiter.js';
import type { BudgetWindows } from '../../src/fleet/budget-windows.js';
import { createCallBudget, type CallBudget } from '../../src/fleet/call-budget.js';
import { createRedisConnection, type RedisConnection } from '../../src/redis/connection.js';
import { generatedCustomerId } from '../../src/simulator/data.js';
import { until } from '../helpers/cache.js';
import { postGraphQL, startGateway } from '../helpers/gateway.js';
import { captureLogs } from '../helpers/log-capture.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

/**
 * The shared budget's blocks (src/fleet/budget-blocks.ts) against a real redis-server: how many
 * requests the calls cost, and that replicas sharing it never spend more than a window holds.
 */
let redis: TestRedis;
let admin: Redis;
const connections: RedisConnection[] = [];

beforeAll(async () => {
  redis = await startRedis();
  admin = redis.client();
});
afterAll(async () => {
  for (const connection of connections) connection.close();
  await redis.stop();
});

const KEY = 'pcgw:v1:budget:partner-center';

/** One 60-s window: every test here ends long before it does, so all of it is one window. */
const oneWindow = (points: number): BudgetWindows => ({
  perMinute: 1,
  seconds: 60,
  points,
  sustainedPerMinute: points,
});

async function replica(windows: BudgetWindows): Promise<CallBudget> {
  const connection = createRedisConnection({
    url: new URL(redis.url),
    logger: captureLogs().logger,
  });
  connections.push(connection);
  await until(() => connection.isReady());
  return createCallBudget({
    limiter: createBudgetLimiter(windows, connection, captureLogs().logger),
  });
}

/** Budget requests Redis ran since the last reset: the limiter's script runs one INCRBY each. */
async function budgetRequests(): Promise<number> {
  const stats = await admin.info('commandstats');
  const calls = /^cmdstat_incrby:calls=(\d+)/m.exec(stats)?.[1];
  return calls === undefined ? 0 : Number(calls);
}

async function fresh(): Promise<void> {
  await admin.del(KEY);
  await admin.config('RESETSTAT');
}

const never = new AbortController().signal;

/** One call as the fleet gate asks for it: granted at once, after a wait, or refused. */
async function call(budget: CallBudget, finishInMs: number): Promise<boolean> {
  if (budget.takeNow() !== undefined) return true;
  try {
    await budget.take(never, performance.now() + finishInMs);
    return true;
  } catch {
    return false;
  }
}

describe('the shared call budget in blocks', () => {
  it('makes far fewer Redis requests than calls', async () => {
    const budget = await replica(oneWindow(100_000));
    await fresh();
    for (let n = 0; n < 2_000; n += 1) expect(await call(budget, 5_000)).toBe(true);
    // Blocks of 1, 2, 4, … 1,024 calls: eleven requests for 2,000 calls (one each before).
    expect(await budgetRequests()).toBe(11);
    expect(Number(await admin.get(KEY))).toBe(2_047);
  });

  it('lets two replicas spend at most the window, and leaves at most a few blocks unspent', async () => {
    const points = 1_000;
    const a = await replica(oneWindow(points));
    const b = await replica(oneWindow(points));
    await fresh();
    // 1,400 calls wanted, in waves of 50 at once on each replica; refused at once when the
    // window is full (room 60 s away, the calls must be done within 1 s).
    const outcomes: boolean[] = [];
    for (let wave = 0; wave < 14; wave += 1) {
      const calls = [a, b].flatMap((budget) =>
        Array.from({ length: 50 }, () => call(budget, 1_000)),
      );
      outcomes.push(...(await Promise.all(calls)));
    }
    const granted = outcomes.filter(Boolean).length;
    expect(granted).toBeLessThanOrEqual(points);
    // At most a block (1/16 of the points) in each replica's hand, and one that no longer fitted.
    expect(granted).toBeGreaterThanOrEqual(points - 3 * Math.floor(points / 16));
    expect(await budgetRequests()).toBeLessThan(1_400 / 10);
  });
});

describe('two gateways sharing a large budget', () => {
  it('answer every read and ask Redis far less than once a call', async () => {
    const env = {
      REDIS_URL: redis.url,
      UPSTREAM_RETRIES: '0',
      CACHE_ENABLED: 'false',
      // The most it may be: one-second windows of 16,393 calls, blocks of up to 1,024.
      UPSTREAM_MAX_CALLS_PER_MINUTE: '1000000',
    };
    const first = await startGateway({ env });
    const second = await startGateway({ env, sharedSimulator: first.simulator });
    try {
      await until(() => [first, second].every((each) => each.gateway.redis?.isReady() === true));
      await fresh();
      const before = first.simulator.stats.reads;
      const reads = 400;
      // Waves of 20 at once, alternating between the gateways.
      for (let wave = 0; wave < reads / 20; wave += 1) {
        const gateway = wave % 2 === 0 ? first : second;
        const bodies = await Promise.all(
          Array.from({ length: 20 }, async (_, n) => {
            const id = generatedCustomerId(wave * 20 + n);
            const response = await postGraphQL(
              gateway.graphqlUrl,
              'query ($id: ID!) { customer(id: $id) { id } }',
              { id },
            );
            return [id, response.body] as const;
          }),
        );
        for (const [id, body] of bodies) expect(body).toEqual({ data: { customer: { id } } });
      }
      expect(first.simulator.stats.reads - before).toBe(reads);
      // Waves of 20 alone grow blocks of 1, 2, 4, 8 and 16: five requests, should the calls come
      // too slowly on a busy machine to keep a block size from one wave to the next.
      expect(await budgetRequests()).toBeLessThan(reads / 2);
      // Metrics still count every call.
      let granted = 0;
      for (const gateway of [first, second]) {
        const samples = parsePrometheus(await (await fetch(`${gateway.origin}/metrics`)).text());
        granted +=
          sampleValue(samples, 'pcgw_fleet_budget_wait_seconds_count', { outcome: 'granted' }) ?? 0;
      }
      expect(granted).toBe(reads);
    } finally {
      await second.close();
      await first.close();
    }
  });
});
