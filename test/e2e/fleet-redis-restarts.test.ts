import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedCustomerId } from '../../src/simulator/data.js';
import { until } from '../helpers/cache.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

/**
 * One replica whose Redis crashes and comes back empty, twice, all inside one minute: every
 * switch between the shared budget and the replica's own must leave it within the budget.
 */
const BUDGET = 2;
let redis: TestRedis;
let gateway: RunningGateway;
let ids = 0;

beforeAll(async () => {
  redis = await startRedis();
  gateway = await startGateway({
    env: {
      REDIS_URL: redis.url,
      UPSTREAM_MAX_CALLS_PER_MINUTE: String(BUDGET),
      UPSTREAM_RETRIES: '0',
      // Every read is a Partner Center call: the cache would answer repeats without one.
      CACHE_ENABLED: 'false',
    },
  });
  await until(() => gateway.gateway.redis?.isReady() === true);
});
afterAll(async () => {
  await gateway.close();
  await redis.stop();
});

const READ = /* GraphQL */ `
  query ($id: ID!) {
    customer(id: $id) {
      id
    }
  }
`;

/** Three reads of three new customers; how many were answered (the rest are RATE_LIMITED). */
async function threeReads(): Promise<number> {
  let answered = 0;
  for (let n = 0; n < 3; n += 1) {
    const id = generatedCustomerId(700 + (ids += 1));
    const { body } = await postGraphQL(gateway.graphqlUrl, READ, { id });
    if (JSON.stringify(body) === JSON.stringify({ data: { customer: { id } } })) {
      answered += 1;
      continue;
    }
    const errors = body['errors'] as { extensions?: { code?: unknown } }[] | undefined;
    expect(errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  }
  return answered;
}

const ready = () => gateway.gateway.redis?.isReady() === true;

describe('the call budget across Redis restarts', () => {
  it('never lets one replica send more than the budget in 60 s, however often Redis restarts empty', async () => {
    const started = performance.now();
    const before = gateway.simulator.stats.reads;
    const answered: number[] = [];

    answered.push(await threeReads()); // shared
    for (let restart = 0; restart < 2; restart += 1) {
      await redis.kill();
      await until(() => !ready());
      answered.push(await threeReads()); // local
      await redis.restart();
      await until(ready);
      answered.push(await threeReads()); // shared again, an empty Redis
    }

    const sent = gateway.simulator.stats.reads - before;
    // The whole scenario is shorter than a minute, so everything it sent counts in one 60 s.
    expect(performance.now() - started).toBeLessThan(60_000);
    expect(answered.reduce((sum, each) => sum + each, 0)).toBe(sent);
    expect(sent).toBe(BUDGET);
    // The first call of all goes through: the budget was untouched.
    expect(answered[0]).toBe(1);
  });
});
