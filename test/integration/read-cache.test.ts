import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qualificationsKind, type QualificationsRead } from '../../src/cache/qualifications.js';
import { createReadCache, type ReadCache } from '../../src/cache/read-cache.js';
import { userScope } from '../../src/cache/scope.js';
import { createRedisConnection, type RedisConnection } from '../../src/redis/connection.js';
import type { CallContext, QualificationRecord } from '../../src/partner-center/types.js';
import { deferred, UpstreamError } from '../../src/partner-center/upstream-error.js';
import { until } from '../helpers/cache.js';
import { captureLogs } from '../helpers/log-capture.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

const KIND = qualificationsKind({ settledSeconds: 300, inReviewSeconds: 30 });
const SCOPE = userScope('Bearer integration');
const ID = '30000000-0000-4000-8000-000000000001';
const BEFORE: QualificationRecord[] = [];
const AFTER: QualificationRecord[] = [
  {
    qualification: 'Education',
    vettingStatus: 'InReview',
    vettingReason: null,
    vettingCreatedDate: null,
  },
];

function call(signal?: AbortSignal, deadlineAt?: number): CallContext {
  return {
    authorize: () => Promise.resolve('Bearer integration'),
    correlationId: '00000000-0000-4000-8000-000000000000',
    forwardedHeaders: {},
    signal,
    deadlineAt,
  };
}

/** A Partner Center read the test answers when it wants, counting calls. */
function controlledFetch() {
  const pending: Array<(value: QualificationsRead) => void> = [];
  let calls = 0;
  let signals: AbortSignal[] = [];
  const deadlines: Array<number | undefined> = [];
  return {
    deadlines,
    fetch: (shared: CallContext) => {
      calls += 1;
      deadlines.push(shared.deadlineAt);
      if (shared.signal) signals.push(shared.signal);
      return new Promise<QualificationsRead>((resolve) => pending.push(resolve));
    },
    answer(value: QualificationsRead) {
      for (const resolve of pending.splice(0)) resolve(value);
    },
    calls: () => calls,
    signals: () => {
      const seen = signals;
      signals = [];
      return seen;
    },
  };
}

let redis: TestRedis;
const connections: RedisConnection[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const connection of connections) connection.close();
  await redis.stop();
});

async function replica(withRedis: boolean): Promise<ReadCache> {
  const logs = captureLogs();
  let connection: RedisConnection | undefined;
  if (withRedis) {
    connection = createRedisConnection({
      url: new URL(redis.url),
      logger: logs.logger,
      commandTimeoutMs: 2_000,
    });
    connections.push(connection);
    const ready = connection;
    await until(() => ready.isReady());
  }
  return createReadCache({
    maxEntries: 100,
    staleIfErrorSeconds: 60,
    maxEntryLifetimeSeconds: 360,
    logger: logs.logger,
    redis: connection,
  });
}

describe.each([
  ['in one process', false],
  ['across replicas sharing Redis', true],
])('a read in flight during a write, %s', (_name, withRedis) => {
  it('answers its callers but does not store its pre-write answer', async () => {
    const reader = await replica(withRedis);
    const writer = withRedis ? await replica(true) : reader;
    const upstream = controlledFetch();

    const inFlight = reader.read(KIND, SCOPE, ID, upstream.fetch, {
      call: call(),
      readThrough: false,
    });
    await until(() => upstream.calls() === 1);
    await writer.invalidate(KIND.name, ID);
    upstream.answer(BEFORE);
    expect((await inFlight).value).toEqual(BEFORE);

    // Not stored: the next read asks Partner Center, which answers after the write.
    const next = reader.read(KIND, SCOPE, ID, upstream.fetch, { call: call(), readThrough: false });
    await until(() => upstream.calls() === 2);
    upstream.answer(AFTER);
    expect((await next).value).toEqual(AFTER);
    const again = await reader.read(KIND, SCOPE, ID, upstream.fetch, {
      call: call(),
      readThrough: false,
    });
    expect(again).toMatchObject({ value: AFTER, source: 'memory' });
    expect(upstream.calls()).toBe(2);
    expect(reader.isFreshInMemory(KIND.name, SCOPE, ID)).toBe(true);
    expect(reader.isFreshInMemory(KIND.name, userScope('Bearer someone else'), ID)).toBe(false);
  });
});

describe('coalescing', () => {
  it('aborts the shared call only when every waiter has gone', async () => {
    const cache = await replica(false);
    const upstream = controlledFetch();
    const first = new AbortController();
    const second = new AbortController();
    const read = (signal: AbortSignal, deadlineAt: number) =>
      cache.read(KIND, SCOPE, `${ID.slice(0, -1)}2`, upstream.fetch, {
        call: call(signal, deadlineAt),
        readThrough: false,
      });

    const now = Date.now();
    const a = read(first.signal, now + 1_000);
    const b = read(second.signal, now + 5_000);
    await until(() => upstream.calls() === 1);
    const [shared] = upstream.signals();
    first.abort();

    await expect(a).rejects.toMatchObject({ kind: 'aborted' });
    expect(shared?.aborted).toBe(false);
    second.abort();
    await expect(b).rejects.toBeInstanceOf(UpstreamError);
    expect(shared?.aborted).toBe(true);
    expect(upstream.calls()).toBe(1);
    // Retries of the shared call may run until its most patient reader gives up.
    expect(upstream.deadlines).toEqual([now + 5_000]);
  });
});

describe('the Redis tier', () => {
  it('holds no credential in any key or value', async () => {
    const cache = await replica(true);
    const authorization = 'Bearer secret-token-that-must-not-be-stored';
    await cache.read(KIND, userScope(authorization), ID, () => Promise.resolve(AFTER), {
      call: call(),
      readThrough: false,
    });

    const client = redis.client();
    const keys = await client.keys('*');
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatch(/^pcgw:v1:qualifications:/);
      expect(key).not.toContain('secret-token');
      const value = (await client.type(key)) === 'string' ? await client.get(key) : '';
      expect(value).not.toContain('secret-token');
      expect(value).not.toContain('Bearer');
    }
  });
});

describe('stale if error', () => {
  // Fresh for no time at all, so the second read of each case finds a stale entry.
  const STALE_AT_ONCE = qualificationsKind({ settledSeconds: 0, inReviewSeconds: 0 });
  const failing = (error: UpstreamError) => () => Promise.reject(error);

  it('answers a 503 from the stale entry, but gives a deferred watch poll its error', async () => {
    const cache = await replica(false);
    const id = `${ID.slice(0, -1)}5`;
    const read = (fetch: (shared: CallContext) => Promise<QualificationsRead>) =>
      cache.read(STALE_AT_ONCE, SCOPE, id, fetch, { call: call(), readThrough: false });
    expect(await read(() => Promise.resolve(AFTER))).toMatchObject({
      value: AFTER,
      stale: false,
      source: 'upstream',
    });

    const unavailable = new UpstreamError('status', 'Partner Center answered 503', { status: 503 });
    expect(await read(failing(unavailable))).toMatchObject({
      value: AFTER,
      stale: true,
      source: 'memory',
    });

    // Put off for interactive work: the watch is to retry it soon, not take it for a failed poll.
    const putOff = deferred('no slot for a poll now', 1_000);
    await expect(read(failing(putOff))).rejects.toBe(putOff);
  });
});
