import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisConnection, type RedisConnection } from '../../src/redis/connection.js';
import {
  createWatchFleet,
  type WatchFleet,
  type WatchMessage,
} from '../../src/watch/watch-fleet.js';
import type { WatchedState } from '../../src/watch/watched-state.js';
import { until } from '../helpers/cache.js';
import { captureLogs } from '../helpers/log-capture.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

/** The watch fleet's lease script, last answer and channel against a real redis-server. */

let redis: TestRedis;
const connections: RedisConnection[] = [];
let a: WatchFleet;
let b: WatchFleet;
const heardByA: WatchMessage[] = [];
const heardByB: WatchMessage[] = [];

function replica(heard: WatchMessage[]): WatchFleet {
  const connection = createRedisConnection({
    url: new URL(redis.url),
    logger: captureLogs('silent').logger,
    commandTimeoutMs: 2_000,
  });
  connections.push(connection);
  const fleet = createWatchFleet(connection, captureLogs('silent').logger);
  fleet.onMessage((message) => heard.push(message));
  return fleet;
}

const STATE: WatchedState = {
  known: true,
  qualifications: [
    {
      qualification: 'Education',
      vettingStatus: 'Approved',
      vettingReason: null,
      vettingCreatedDate: '2026-12-01T10:00:00Z',
    },
  ],
  readAt: 1_796_000_000_000,
};

beforeAll(async () => {
  redis = await startRedis();
  a = replica(heardByA);
  b = replica(heardByB);
  await until(() => connections.every((connection) => connection.isReady()));
});

afterAll(async () => {
  for (const connection of connections) connection.close();
  await redis.stop();
});

describe('the watch lease in Redis', () => {
  it('elects one replica, extends its own lease, and tells the others how long to wait', async () => {
    expect(await a.claim('s:1', 's:1', 10_000)).toEqual({ waitMs: 0, last: undefined });
    const other = await b.claim('s:1', 's:1', 10_000);
    expect(other.waitMs).toBeGreaterThan(5_000);
    expect(other.waitMs).toBeLessThanOrEqual(10_000);
    expect((await a.claim('s:1', 's:1', 10_000)).waitMs).toBe(0);
  });

  it("a lease's last millisecond is still its holder's: one replica wins, never two", async () => {
    // A replica whose turn comes as the holder's lease runs out asks again and again; when it
    // wins, the lease is its own and the old holder waits. Redis reports a lease with under a
    // millisecond left as 0 ms left, which is still held.
    // A round whose first claim by B comes after the 3 ms (a stalled machine) has not reached
    // the edge; it must still hand the lease over, and enough rounds reach it.
    let roundsThroughTheEdge = 0;
    for (let round = 0; round < 20; round += 1) {
      const lease = `s:edge:${String(round)}`;
      expect((await a.claim(lease, lease, 3)).waitMs).toBe(0);
      let claims = 0;
      while ((await b.claim(lease, lease, 10_000)).waitMs > 0) claims += 1;
      if (claims > 0) roundsThroughTheEdge += 1;
      expect((await a.claim(lease, lease, 10_000)).waitMs).toBeGreaterThan(0);
    }
    expect(roundsThroughTheEdge).toBeGreaterThan(0);
  });

  it('a lease longer than the claimant needs is taken over; then the old holder waits', async () => {
    await a.claim('s:2', 's:2', 900_000);
    expect((await b.claim('s:2', 's:2', 2_000)).waitMs).toBe(0);
    const old = await a.claim('s:2', 's:2', 900_000);
    expect(old.waitMs).toBeGreaterThan(0);
    expect(old.waitMs).toBeLessThanOrEqual(2_000);
  });

  it('every claim brings the last answer recorded beside the lease, whoever holds it', async () => {
    await a.claim('s:3', 's:3', 10_000);
    a.record('s:3', STATE, 60_000);
    await until(async () => (await b.claim('s:3', 's:3', 10_000)).last !== undefined);
    expect(await b.claim('s:3', 's:3', 10_000)).toEqual({
      waitMs: expect.any(Number) as number,
      last: STATE,
    });
    // A poke's lease has its own name but the same pair: the same last answer.
    expect((await b.claim('poke:n:s:3', 's:3', 30_000)).last).toEqual(STATE);
  });

  it('a released lease is free at once; a release by another replica leaves it be', async () => {
    await a.claim('s:4', 's:4', 10_000);
    b.release('s:4');
    await until(async () => (await redis.client().pttl('pcgw:v1:watch:lease:s:4')) > 0);
    expect((await b.claim('s:4', 's:4', 10_000)).waitMs).toBeGreaterThan(0);
    a.release('s:4');
    await until(async () => (await redis.client().exists('pcgw:v1:watch:lease:s:4')) === 0);
    expect((await b.claim('s:4', 's:4', 10_000)).waitMs).toBe(0);
  });

  it('messages reach the other replicas, not the sender', async () => {
    const message: WatchMessage = { kind: 'state', scope: 's', id: '1', state: STATE };
    a.publish(message);
    b.publish({ kind: 'poke', id: '2', nonce: 'n' });
    await until(() => heardByB.length > 0 && heardByA.length > 0);
    expect(heardByB).toEqual([message]);
    expect(heardByA).toEqual([{ kind: 'poke', id: '2', nonce: 'n' }]);
  });

  it('without Redis every claim is won: each replica reads alone', async () => {
    await redis.kill();
    await until(() => connections.every((connection) => !connection.isReady()));
    expect(await a.claim('s:1', 's:1', 10_000)).toEqual({ waitMs: 0, last: undefined });
    expect(await b.claim('s:1', 's:1', 10_000)).toEqual({ waitMs: 0, last: undefined });
  });
});
