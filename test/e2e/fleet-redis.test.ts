import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_CUSTOMER_IDS, generatedCustomerId } from '../../src/simulator/data.js';
import { seedProfiles } from '../../src/simulator/profiles.js';
import { until } from '../helpers/cache.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

/**
 * Three replicas in front of one Partner Center (the simulator) sharing one redis-server of the
 * test's own. In-process gateways, each with its own Redis connections, limiter and holds (the
 * same code as three processes, without three builds and start-ups on a busy machine).
 */
interface Fleet {
  readonly redis: TestRedis;
  readonly replicas: readonly [RunningGateway, RunningGateway, RunningGateway];
  close(): Promise<void>;
}

async function startFleet(env: Record<string, string>): Promise<Fleet> {
  const redis = await startRedis();
  const shared = {
    REDIS_URL: redis.url,
    UPSTREAM_RETRIES: '0',
    // Every read is a Partner Center call: the cache would answer repeats without one.
    CACHE_ENABLED: 'false',
    ...env,
  };
  const a = await startGateway({ env: shared });
  const b = await startGateway({ env: shared, sharedSimulator: a.simulator });
  const c = await startGateway({ env: shared, sharedSimulator: a.simulator });
  const replicas = [a, b, c] as const;
  await until(() => replicas.every((replica) => replica.gateway.redis?.isReady() === true));
  return {
    redis,
    replicas,
    async close() {
      for (const replica of [c, b, a]) await replica.close();
      await redis.stop();
    },
  };
}

const READ = /* GraphQL */ `
  query ($id: ID!) {
    customer(id: $id) {
      id
      qualifications {
        qualification
      }
    }
  }
`;

async function read(replica: RunningGateway, id: string) {
  const response = await postGraphQL(replica.graphqlUrl, READ, { id });
  return response.body;
}

const PROFILES = seedProfiles(1000);
const companyNameOf = (id: string) => PROFILES.find((profile) => profile.id === id)?.companyName;

const PROFILE = /* GraphQL */ `
  query ($id: ID!) {
    customer(id: $id) {
      id
      companyName
    }
  }
`;

async function readProfile(replica: RunningGateway, id: string, caller: string) {
  const headers = { authorization: `Bearer ${caller}` };
  return (await postGraphQL(replica.graphqlUrl, PROFILE, { id }, headers)).body;
}

/** What a call refused by the budget or a hold looks like: RATE_LIMITED with retryAfter. */
function rateLimited(body: Record<string, unknown>): number | undefined {
  const errors = body['errors'] as { extensions?: Record<string, unknown> }[] | undefined;
  const extensions = errors?.[0]?.extensions;
  if (extensions?.['code'] !== 'RATE_LIMITED') return undefined;
  const retryAfter = extensions['retryAfter'];
  return typeof retryAfter === 'number' ? retryAfter : undefined;
}

async function metric(
  replica: RunningGateway,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const text = await (await fetch(`${replica.origin}/metrics`)).text();
  return sampleValue(parsePrometheus(text), name, labels);
}

const modes = (fleet: Fleet, mode: 'shared' | 'local') =>
  Promise.all(fleet.replicas.map((replica) => metric(replica, 'pcgw_fleet_budget_mode', { mode })));

const answered = (id: string) => ({
  data: { customer: { id, qualifications: expect.any(Array) as unknown } },
});

describe('a call budget shared by three replicas', () => {
  // Two calls in any 60 s: one-minute windows of one call each (src/fleet/budget-windows.ts),
  // so everything below happens inside one window.
  let fleet: Fleet;
  let ids = 0;
  const next = () => generatedCustomerId(300 + (ids += 1));
  beforeAll(async () => {
    fleet = await startFleet({ UPSTREAM_MAX_CALLS_PER_MINUTE: '2' });
  });
  afterAll(async () => {
    await fleet.close();
  });

  it('lets the fleet send at most the budget; the rest is RATE_LIMITED without a call', async () => {
    const [a, b, c] = fleet.replicas;
    const before = a.simulator.stats.reads;
    expect(await modes(fleet, 'shared')).toEqual([1, 1, 1]);

    const first = next();
    expect(await read(a, first)).toEqual(answered(first));
    // Each replica alone would still have had its own call; the fleet has none left.
    for (const replica of [b, c, a]) {
      const refused = next();
      const body = await read(replica, refused);
      // Kept, with the field its refused read would have answered null.
      expect(body['data']).toEqual({ customer: { id: refused, qualifications: null } });
      expect(rateLimited(body)).toBeGreaterThanOrEqual(1);
      expect(rateLimited(body)).toBeLessThanOrEqual(60);
    }
    // All three at once, four customers each: twelve calls wanted.
    const burst = await Promise.all(
      fleet.replicas.flatMap((replica) => [1, 2, 3, 4].map(() => read(replica, next()))),
    );
    const sent = a.simulator.stats.reads - before;
    const ok = burst.filter((body) => rateLimited(body) === undefined).length + 1;
    expect(sent).toBe(ok);
    expect(sent).toBeLessThanOrEqual(2);
    expect(burst.filter((body) => rateLimited(body) !== undefined).length).toBe(12 - (ok - 1));
    expect(await metric(b, 'pcgw_fleet_refused_calls_total', { reason: 'budget' })).toBeGreaterThan(
      0,
    );
  });

  it('limits each replica alone while Redis is down, without failing, and shares again after', async () => {
    const [a, b, c] = fleet.replicas;
    await fleet.redis.kill();
    await until(() => fleet.replicas.every((replica) => replica.gateway.redis?.isReady() !== true));
    expect(await modes(fleet, 'local')).toEqual([1, 1, 1]);
    const before = a.simulator.stats.reads;

    // Each replica has a budget of its own now: A and B each send one call, and no more.
    const forA = next();
    const forB = next();
    expect(await read(a, forA)).toEqual(answered(forA));
    expect(await read(b, forB)).toEqual(answered(forB));
    expect(rateLimited(await read(a, next()))).toBeGreaterThanOrEqual(1);
    expect(rateLimited(await read(b, next()))).toBeGreaterThanOrEqual(1);
    expect(a.simulator.stats.reads - before).toBe(2);
    for (const replica of [a, b]) {
      const warnings = replica.logs
        .entries()
        .filter((entry) => String(entry['msg']).startsWith('Redis unreachable: the call budget'));
      expect(warnings).toHaveLength(1);
    }

    await fleet.redis.restart();
    await until(() => fleet.replicas.every((replica) => replica.gateway.redis?.isReady() === true));
    // Redis came back empty, but A has sent two calls this minute: its own record refuses it.
    expect(rateLimited(await read(a, next()))).toBeGreaterThanOrEqual(55);
    // C has sent none: the shared budget (a fresh Redis) lets its call through...
    const forC = next();
    expect(await read(c, forC)).toEqual(answered(forC));
    // ...and, shared again, refuses B's, which B's own record alone would still have allowed.
    expect(rateLimited(await read(b, next()))).toBeGreaterThanOrEqual(1);
    expect(a.simulator.stats.reads - before).toBe(3);
    expect(await modes(fleet, 'shared')).toEqual([1, 1, 1]);
  });
});

describe('429 holds shared by three replicas', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({});
  });
  afterAll(async () => {
    await fleet.close();
  });

  const readsOf = (id: string) =>
    fleet.replicas[0].simulator.requests.filter((request) => request.path.includes(id)).length;

  it('keeps every replica off a customer Partner Center throttled on one of them', async () => {
    const [a, b, c] = fleet.replicas;
    const throttled = FAULT_CUSTOMER_IDS.throttledLong;
    const first = await read(a, throttled);
    expect(rateLimited(first)).toBe(30);
    expect(readsOf(throttled)).toBe(1);
    await until(async () => (await metric(c, 'pcgw_fleet_holds_active')) === 1);
    await until(async () => (await metric(b, 'pcgw_fleet_holds_active')) === 1);

    for (const replica of [b, c, a]) {
      const body = await read(replica, throttled);
      expect(rateLimited(body)).toBeGreaterThanOrEqual(29);
      expect(rateLimited(body)).toBeLessThanOrEqual(30);
    }
    expect(readsOf(throttled)).toBe(1);
    // Other customers are not held.
    const other = generatedCustomerId(401);
    expect(await read(b, other)).toEqual(answered(other));
    expect(await metric(b, 'pcgw_fleet_holds_total', { source: 'fleet' })).toBe(1);
    expect(await metric(a, 'pcgw_fleet_holds_total', { source: 'here' })).toBe(1);
  });

  it('waits out a short hold on another replica and then calls', async () => {
    const [a, b] = fleet.replicas;
    const id = generatedCustomerId(402);
    a.simulator.setFault(id, 'throttled', 1); // 429 with Retry-After: 1, once
    expect(rateLimited(await read(a, id))).toBe(1);
    await until(async () => (await metric(b, 'pcgw_fleet_holds_total', { source: 'fleet' })) === 2);

    // One second is under UPSTREAM_RETRY_AFTER_MAX_MS: B waits until the hold ends, then asks.
    expect(await read(b, id)).toEqual(answered(id));
    expect(readsOf(id)).toBe(2);
  });

  it('catches up on the holds still running when a replica (re)connects', async () => {
    const late = await startGateway({
      env: { REDIS_URL: fleet.redis.url, UPSTREAM_RETRIES: '0', CACHE_ENABLED: 'false' },
      sharedSimulator: fleet.replicas[0].simulator,
    });
    try {
      await until(async () => (await metric(late, 'pcgw_fleet_holds_active')) === 1);
      const before = readsOf(FAULT_CUSTOMER_IDS.throttledLong);
      expect(rateLimited(await read(late, FAULT_CUSTOMER_IDS.throttledLong))).toBeGreaterThan(0);
      expect(readsOf(FAULT_CUSTOMER_IDS.throttledLong)).toBe(before);
    } finally {
      await late.close();
    }
  });

  it('holds only the customer whose profile read was throttled, on every replica', async () => {
    const [a, b, c] = fleet.replicas;
    const throttled = generatedCustomerId(403);
    const profileReads = () => a.simulator.stats.routes['GET /v1/customers/{id}'] ?? 0;
    const fromFleet = (replica: RunningGateway) =>
      metric(replica, 'pcgw_fleet_holds_total', { source: 'fleet' });
    const [onB, onC] = [await fromFleet(b), await fromFleet(c)];
    a.simulator.setFault(throttled, 'throttledLong', 1); // 429 with Retry-After: 30, once
    const before = profileReads();

    expect(rateLimited(await readProfile(a, throttled, 'caller-a'))).toBe(30);
    await until(async () => (await fromFleet(b)) === (onB ?? 0) + 1);
    await until(async () => (await fromFleet(c)) === (onC ?? 0) + 1);

    // Other callers on the other replicas read other customers' profiles: sent and answered.
    const others = [
      [b, generatedCustomerId(404), 'caller-b'],
      [c, generatedCustomerId(405), 'caller-c'],
      [b, generatedCustomerId(406), 'caller-d'],
    ] as const;
    for (const [replica, id, caller] of others) {
      expect(await readProfile(replica, id, caller)).toEqual({
        data: { customer: { id, companyName: companyNameOf(id) } },
      });
    }
    expect(profileReads() - before).toBe(4);
    // The throttled customer is held everywhere, whoever asks and for whichever of its reads.
    for (const body of [
      await readProfile(b, throttled, 'caller-b'),
      await readProfile(c, throttled, 'caller-c'),
      await read(b, throttled),
    ]) {
      expect(rateLimited(body)).toBeGreaterThanOrEqual(29);
      expect(rateLimited(body)).toBeLessThanOrEqual(30);
    }
    expect(profileReads() - before).toBe(4);
    expect(readsOf(throttled)).toBe(1);
  });
});
