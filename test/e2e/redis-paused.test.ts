import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedCustomerId } from '../../src/simulator/data.js';
import { until } from '../helpers/cache.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

/**
 * A Redis that stops answering without closing its connections (SIGSTOP: stuck, or a network
 * dropping packets). The gateway must serve without it, and say so, until it answers again.
 */
let redis: TestRedis;
let admin: Redis;
let gateway: RunningGateway;
let ids = 0;

beforeAll(async () => {
  redis = await startRedis();
  admin = redis.client();
  gateway = await startGateway({
    env: {
      REDIS_URL: redis.url,
      UPSTREAM_MAX_CALLS_PER_MINUTE: '500',
      UPSTREAM_RETRIES: '0',
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

/** A customer not read before: the cache cannot answer it, so it costs a budget call. */
async function readNew(): Promise<void> {
  const id = generatedCustomerId(800 + (ids += 1));
  const { body } = await postGraphQL(gateway.graphqlUrl, READ, { id });
  expect(body).toEqual({ data: { customer: { id } } });
}

async function metrics(): Promise<{ degraded: number | undefined; mode: string | undefined }> {
  const samples = parsePrometheus(await (await fetch(`${gateway.origin}/metrics`)).text());
  const degraded = sampleValue(samples, 'pcgw_degraded', { reason: 'redis_unreachable' });
  const mode = ['shared', 'local'].find(
    (each) => sampleValue(samples, 'pcgw_fleet_budget_mode', { mode: each }) === 1,
  );
  return { degraded, mode };
}

async function readyz(): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${gateway.origin}/readyz`);
  return { status: response.status, body: await response.json() };
}

describe('a Redis that stops answering, connection open', () => {
  it('is reported degraded while the budget and the cache do without it, and no longer once it answers', async () => {
    await readNew();
    expect(await metrics()).toEqual({ degraded: 0, mode: 'shared' });
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready' } });

    redis.pause();
    try {
      // The first command to time out tells: the budget goes local, and the metric says so.
      await readNew();
      expect(await metrics()).toEqual({ degraded: 1, mode: 'local' });
      expect(await readyz()).toEqual({
        status: 200,
        body: {
          status: 'ready',
          degraded: ['Redis is unreachable: the cache and the call budget are this process’s own'],
        },
      });
      // Later reads skip Redis and are answered.
      await readNew();
      await readNew();
      expect(gateway.gateway.redis?.isReady()).toBe(false);
    } finally {
      redis.resume();
    }

    // Asked again every second: it answers, and everything is shared again.
    await until(async () => (await metrics()).degraded === 0);
    expect(await metrics()).toEqual({ degraded: 0, mode: 'shared' });
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready' } });
    await admin.del('pcgw:v1:budget:partner-center');
    await readNew();
    // The call was counted in Redis again.
    expect(await admin.get('pcgw:v1:budget:partner-center')).toBe('1');
    const logs = gateway.logs.entries().map((entry) => entry['msg']);
    expect(logs.filter((msg) => String(msg).startsWith('Redis not answering'))).toHaveLength(1);
    expect(logs.filter((msg) => msg === 'Redis answering again')).toHaveLength(1);
  });
});
