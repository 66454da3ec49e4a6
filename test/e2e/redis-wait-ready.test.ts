import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedisConnection } from '../../src/redis/connection.js';
import { waitUntilReady } from '../../src/redis/wait-ready.js';
import { captureLogs } from '../helpers/log-capture.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

it('resolves true once Redis answers, as start-up waits for it before listening', async () => {
  const connection = createRedisConnection({
    url: new URL(redis.url),
    logger: captureLogs().logger,
  });
  try {
    expect(await waitUntilReady(connection, 30_000)).toBe(true);
    expect(connection.isReady()).toBe(true);
  } finally {
    connection.close();
  }
});

it('resolves false after the bound when Redis is not there, so start-up goes on', async () => {
  const connection = createRedisConnection({
    url: new URL('redis://127.0.0.1:9'),
    logger: captureLogs().logger,
  });
  try {
    expect(await waitUntilReady(connection, 200)).toBe(false);
  } finally {
    connection.close();
  }
});
