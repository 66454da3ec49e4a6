import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { generatedCustomerId } from '../../src/simulator/data.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import { until } from '../helpers/cache.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

/**
 * Three replicas (in-process gateways, port 0) sharing one real redis-server and one Partner
 * Center (the simulator, which records every request), with 300 graphql-ws subscribers spread
 * over them. The cache is off, so every read of the watch is a Partner Center call to count.
 */

const INTERVAL_S = 2;
const INTERVAL_MS = INTERVAL_S * 1000;
const TOKEN = 'Bearer e2e-token';
/** The simulator's other partner: it knows none of these customers (another scope, another view). */
const OTHER_TOKEN = 'Bearer other-partner-e2e';
/** Generated customers 1, 8, 15, …: Education in review, so watched every in-review interval. */
const CUSTOMERS = Array.from({ length: 10 }, (_, k) => generatedCustomerId(1 + 7 * k));
/** Generated customer 0: Education approved, settled, so watched every 900 s: only a write moves it. */
const SETTLED = generatedCustomerId(0);

const WATCH = /* GraphQL */ `
  subscription ($ids: [ID!]!) {
    customerQualificationsChanged(ids: $ids) {
      id
      knownToPartnerCenter
      qualifications {
        qualification
        vettingStatus
      }
    }
  }
`;

interface Event {
  readonly id: string;
  readonly knownToPartnerCenter: boolean;
  readonly qualifications: { qualification: string; vettingStatus: string | null }[] | null;
}

interface Subscriber {
  readonly replica: number;
  readonly token: string;
  readonly id: string;
  readonly events: Event[];
  readonly errors: unknown[];
}

let redis: TestRedis;
let simulator: Simulator;
let replicas: RunningGateway[];
const clients: Client[] = [];
const subscribers: Subscriber[] = [];

function subscribe(replica: number, token: string, id: string): Subscriber {
  const gateway = replicas[replica];
  if (gateway === undefined) throw new Error(`no replica ${String(replica)}`);
  const client = createClient({
    url: gateway.graphqlUrl.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: token },
    retryAttempts: 0,
  });
  clients.push(client);
  const subscriber: Subscriber = { replica, token, id, events: [], errors: [] };
  client.subscribe<{ customerQualificationsChanged: Event }>(
    { query: WATCH, variables: { ids: [id] } },
    {
      next: (result) => {
        if (result.errors !== undefined) subscriber.errors.push(result.errors);
        const event = result.data?.customerQualificationsChanged;
        if (event !== undefined) subscriber.events.push(event);
      },
      error: (error) => subscriber.errors.push(error),
      complete: () => undefined,
    },
  );
  subscribers.push(subscriber);
  return subscriber;
}

/** Qualification reads Partner Center answered so far, by customer, for one token. */
function readsByCustomer(token = TOKEN): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of simulator.requests) {
    const match = /^\/v1\/customers\/([^/]+)\/qualifications/.exec(request.path);
    if (request.method !== 'GET' || match?.[1] === undefined) continue;
    if (request.headers['authorization'] !== token) continue;
    counts.set(match[1], (counts.get(match[1]) ?? 0) + 1);
  }
  return counts;
}

/** When Partner Center answered each qualification read of `id` since `since`, for one token. */
function readTimes(id: string, since: number, token = TOKEN): number[] {
  return simulator.requests
    .filter(
      (request) =>
        request.at >= since &&
        request.method === 'GET' &&
        request.path.startsWith(`/v1/customers/${id}/qualifications`) &&
        request.headers['authorization'] === token,
    )
    .map((request) => request.at);
}

/**
 * Reads of each customer in `CUSTOMERS` during `intervals` intervals from now, and per interval,
 * with the time that really passed: on a loaded machine a sleep of an interval lasts longer, and
 * the fleet then rightly reads more often than the intervals asked for.
 */
async function measure(intervals: number, token = TOKEN) {
  const perInterval: number[] = [];
  const startedAt = performance.now();
  const start = readsByCustomer(token);
  let previous = start;
  for (let i = 0; i < intervals; i += 1) {
    await sleep(INTERVAL_MS);
    const now = readsByCustomer(token);
    perInterval.push(CUSTOMERS.reduce((sum, id) => sum + count(now, id) - count(previous, id), 0));
    previous = now;
  }
  const elapsed = (performance.now() - startedAt) / INTERVAL_MS;
  const perCustomer = CUSTOMERS.map((id) => count(previous, id) - count(start, id));
  /** Reads less than half an interval after the customer's previous one: two readers at once. */
  const overlapping = CUSTOMERS.map((id) => {
    const times = readTimes(id, startedAt, token);
    return times.filter((at, n) => n > 0 && at - (times[n - 1] ?? 0) < INTERVAL_MS / 2).length;
  });
  /**
   * At most what one reader at a time allows: one read per lease of an interval, so reads of a
   * customer are an interval apart and a window of `elapsed` intervals holds `floor(elapsed) + 1`
   * of them. One more for a claim Redis answered too late (that replica reads alone, the
   * fleet's rule when Redis is slow).
   */
  const sharedBound = Math.floor(elapsed) + 2;
  /** Three replicas each reading alone, every interval. */
  const aloneReads = 3 * Math.floor(elapsed);
  return {
    perInterval,
    perCustomer,
    overlapping,
    total: perCustomer.reduce((a, b) => a + b, 0),
    elapsed: Math.round(elapsed * 100) / 100,
    sharedBound,
    aloneReads,
  };
}

const count = (counts: Map<string, number>, id: string) => counts.get(id) ?? 0;
const last = (subscriber: Subscriber) => subscriber.events.at(-1);
const of = (id: string, token = TOKEN) =>
  subscribers.filter((subscriber) => subscriber.id === id && subscriber.token === token);

beforeAll(async () => {
  redis = await startRedis();
  // Reviews never end by themselves here: the test decides every change.
  simulator = await startSimulator({ port: 0, vettingSeconds: 0, keepRequests: 200_000 });
  const env = {
    REDIS_URL: redis.url,
    CACHE_ENABLED: 'false',
    UPSTREAM_RETRIES: '0',
    WATCH_POLL_IN_REVIEW_SECONDS: String(INTERVAL_S),
  };
  replicas = [];
  for (let i = 0; i < 3; i += 1) {
    replicas.push(await startGateway({ env, sharedSimulator: simulator }));
  }
  await until(() => replicas.every((replica) => replica.gateway.redis?.isReady() === true));
}, 30_000);

afterAll(async () => {
  await Promise.all(
    clients.map(async (client) => {
      await client.dispose();
    }),
  );
  for (const replica of replicas.reverse()) await replica.close();
  await simulator.close();
  await redis.stop();
});

describe('the watch across three replicas sharing Redis', () => {
  it('300 subscribers on 10 customers: one Partner Center read per customer per interval', async () => {
    const before = readsByCustomer();
    for (let n = 0; n < 300; n += 1) subscribe(n % 3, TOKEN, CUSTOMERS[n % 10] ?? '');
    await until(() => subscribers.every((subscriber) => subscriber.events.length > 0));
    const firstLooks = CUSTOMERS.reduce(
      (sum, id) => sum + count(readsByCustomer(), id) - count(before, id),
      0,
    );
    for (const subscriber of subscribers) {
      expect(subscriber.errors).toEqual([]);
      expect(subscriber.events[0]).toEqual({
        id: subscriber.id,
        knownToPartnerCenter: true,
        qualifications: [{ qualification: 'EDUCATION', vettingStatus: 'IN_REVIEW' }],
      });
    }
    // Each subscriber's first look is a read of its own (the cache is off): 300, plus the
    // polls of the seconds it took the 300 to connect (at most one per customer per interval).
    expect(firstLooks).toBeGreaterThanOrEqual(300);

    const shared = await measure(4);
    console.info('watch reads per interval across the fleet', { firstLooks, ...shared });
    // One read per customer per interval across the fleet, however long the intervals really
    // took; alone, each of three replicas would read it every interval: the total stays at half
    // of that at most. `npm run bench` (S1) measures the ratio itself.
    for (const reads of shared.perCustomer) {
      expect(reads).toBeGreaterThanOrEqual(2);
      expect(reads).toBeLessThanOrEqual(shared.sharedBound);
    }
    // At most the one late claim per customer that reads alone.
    for (const overlaps of shared.overlapping) expect(overlaps).toBeLessThanOrEqual(1);
    expect(shared.total).toBeLessThanOrEqual((10 * shared.aloneReads) / 2);
  }, 120_000);

  it("a change one replica's poll finds reaches the subscribers on all three", async () => {
    const [changing] = CUSTOMERS as [string];
    const reads = count(readsByCustomer(), changing);
    simulator.setFault(changing, 'notFound');
    const watchers = of(changing);
    expect(new Set(watchers.map((watcher) => watcher.replica))).toEqual(new Set([0, 1, 2]));
    await until(() => watchers.every((watcher) => last(watcher)?.knownToPartnerCenter === false));
    // Seen by one read of the fleet's (two if an interval ended meanwhile), not one per replica.
    expect(count(readsByCustomer(), changing) - reads).toBeLessThanOrEqual(2);
    for (const watcher of watchers) {
      expect(last(watcher)).toEqual({
        id: changing,
        knownToPartnerCenter: false,
        qualifications: [],
      });
    }
    simulator.setFault(changing, undefined);
    await until(() => watchers.every((watcher) => last(watcher)?.knownToPartnerCenter === true));
  }, 30_000);

  it('a write on replica A reaches the subscribers on B and C at once, not at the next poll', async () => {
    const watchers = [1, 2, 1, 2].map((replica) => subscribe(replica, TOKEN, SETTLED));
    await until(() => watchers.every((watcher) => watcher.events.length === 1));
    const written = await postGraphQL(
      replicas[0]?.graphqlUrl ?? '',
      /* GraphQL */ `
        mutation ($id: ID!) {
          addCustomerQualification(input: { customerId: $id, qualification: STATE_OWNED_ENTITY }) {
            errors {
              code
            }
          }
        }
      `,
      { id: SETTLED },
      { authorization: TOKEN },
    );
    expect(written.body).toEqual({ data: { addCustomerQualification: { errors: [] } } });
    // The customer is settled: its next poll is 900 s away, so this is the write's own read.
    await until(() => watchers.every((watcher) => watcher.events.length === 2));
    for (const watcher of watchers) {
      expect(last(watcher)).toEqual({
        id: SETTLED,
        knownToPartnerCenter: true,
        qualifications: [
          { qualification: 'EDUCATION', vettingStatus: 'APPROVED' },
          { qualification: 'STATE_OWNED_ENTITY', vettingStatus: null },
        ],
      });
    }
  }, 30_000);

  it("two scopes (two callers' tokens) never receive each other's answers", async () => {
    const others = CUSTOMERS.map((id, n) => subscribe(n % 3, OTHER_TOKEN, id));
    await until(() => others.every((other) => other.events.length > 0));
    const before = readsByCustomer(OTHER_TOKEN);
    await sleep(2 * INTERVAL_MS);
    // Its own polls, with its own token: Partner Center knows none of these customers for it.
    const polled = CUSTOMERS.reduce(
      (sum, id) => sum + count(readsByCustomer(OTHER_TOKEN), id) - count(before, id),
      0,
    );
    expect(polled).toBeGreaterThanOrEqual(10);
    expect(polled).toBeLessThanOrEqual(30);
    for (const other of others) {
      expect(other.events.every((event) => !event.knownToPartnerCenter)).toBe(true);
    }
    for (const subscriber of subscribers.filter((s) => s.token === TOKEN)) {
      // The first scope's subscribers saw "unknown" only for the customer made unknown.
      const unknown = subscriber.events.filter((event) => !event.knownToPartnerCenter);
      expect(unknown.length).toBe(subscriber.id === CUSTOMERS[0] ? 1 : 0);
    }
  }, 30_000);

  it('Redis killed: each replica polls alone and changes still arrive; restarted: sharing resumes', async () => {
    await redis.kill();
    await until(() => replicas.every((replica) => replica.gateway.redis?.isReady() === false));
    const alone = await measure(3);
    console.info('watch reads per interval with Redis gone', alone);
    // Three replicas reading alone: about 9 reads per customer in 3 intervals; sharing allows 4.
    expect(alone.total).toBeGreaterThan(10 * 4);
    // Three readers of one customer an interval apart each: some read within half an interval
    // of another (what the shared watch never does).
    for (const overlaps of alone.overlapping) expect(overlaps).toBeGreaterThan(0);

    const changing = CUSTOMERS[1] ?? '';
    simulator.setFault(changing, 'notFound');
    const watchers = of(changing);
    await until(() => watchers.every((watcher) => last(watcher)?.knownToPartnerCenter === false));
    simulator.setFault(changing, undefined);
    await until(() => watchers.every((watcher) => last(watcher)?.knownToPartnerCenter === true));

    await redis.restart();
    await until(() => replicas.every((replica) => replica.gateway.redis?.isReady() === true));
    // Two intervals for every replica to claim its leases again in an empty Redis, then shared.
    await sleep(2 * INTERVAL_MS);
    const shared = await measure(3);
    console.info('watch reads per interval with Redis back', shared);
    // As with Redis from the start: one reader at a time, and at most half the reads of three
    // replicas alone.
    for (const reads of shared.perCustomer) expect(reads).toBeLessThanOrEqual(shared.sharedBound);
    for (const overlaps of shared.overlapping) expect(overlaps).toBeLessThanOrEqual(1);
    expect(shared.total).toBeLessThanOrEqual((10 * shared.aloneReads) / 2);

    const again = CUSTOMERS[2] ?? '';
    simulator.setFault(again, 'notFound');
    const others = of(again);
    await until(() => others.every((watcher) => last(watcher)?.knownToPartnerCenter === false));
    simulator.setFault(again, undefined);
  }, 60_000);
});
