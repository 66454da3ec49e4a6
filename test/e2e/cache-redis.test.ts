import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedCustomerId, SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import {
  ADD_EDUCATION,
  cacheLookups,
  costOf,
  customerOf,
  readCustomer,
  until,
} from '../helpers/cache.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';
import { INVALIDATION_CHANNEL } from '../../src/cache/redis-tier.js';

let redis: TestRedis;
let a: RunningGateway;
let b: RunningGateway;

const ready = (gateway: RunningGateway) => gateway.gateway.redis?.isReady() === true;

beforeAll(async () => {
  redis = await startRedis();
  const env = { REDIS_URL: redis.url, UPSTREAM_RETRIES: '0' };
  a = await startGateway({ env });
  b = await startGateway({ env, sharedSimulator: a.simulator });
  await until(() => ready(a) && ready(b));
});
afterAll(async () => {
  await b.close();
  await a.close();
  await redis.stop();
});

const PAGE = /* GraphQL */ `
  query ($ids: [ID!]!) {
    customers(ids: $ids) {
      id
      qualifications {
        qualification
      }
    }
  }
`;

describe('two replicas sharing Redis', () => {
  it('read the same 100 customers twice each with 100 Partner Center calls', async () => {
    const ids = Array.from({ length: 100 }, (_, n) => generatedCustomerId(200 + n));
    const headers = { authorization: 'Bearer replicas-page' };
    const before = a.simulator.stats.reads;

    const answers = [];
    for (const gateway of [a, b, a, b]) {
      answers.push(await postGraphQL(gateway.graphqlUrl, PAGE, { ids }, headers));
    }

    expect(a.simulator.stats.reads - before).toBe(100);
    for (const answer of answers) expect(answer.body).toEqual(answers[0]?.body);
    expect(await cacheLookups(b, 'redis', 'hit')).toBeGreaterThanOrEqual(100);
  });

  it('keep each caller’s answers to that caller, in Redis as in memory', async () => {
    const id = SAMPLE_CUSTOMER_IDS.educationApproved;
    const ours = 'Bearer partner-token-AAAA-secret';
    const theirs = 'Bearer other-partner-token-BBBB-secret';
    const before = a.simulator.stats.reads;

    expect(customerOf(await readCustomer(a, id, ours))?.['id']).toBe(id);
    expect(customerOf(await readCustomer(b, id, theirs))).toBeNull();
    const fromRedis = await readCustomer(b, id, ours);
    expect(customerOf(fromRedis)?.['id']).toBe(id);
    expect(costOf(fromRedis)).toMatchObject({ calls: 0, cacheHits: 1 });
    expect(customerOf(await readCustomer(a, id, theirs))).toBeNull();
    expect(a.simulator.stats.reads - before).toBe(2);

    const client = redis.client();
    const keys = await client.keys('*');
    const values = await Promise.all(
      keys.map(async (key) => ((await client.type(key)) === 'string' ? client.get(key) : '')),
    );
    const stored = [...keys, ...values].join('\n');
    for (const secret of ['AAAA', 'BBBB', 'secret', 'Bearer', 'partner-token']) {
      expect(stored).not.toContain(secret);
    }
  });

  it('see a write on one at once on the other, for every caller', async () => {
    const id = generatedCustomerId(13); // no qualifications yet
    const callers = ['Bearer writer-1', 'Bearer reader-2'];
    for (const gateway of [a, b]) {
      for (const caller of callers) {
        expect(customerOf(await readCustomer(gateway, id, caller))?.['qualifications']).toEqual([]);
      }
    }

    const written = await postGraphQL(
      a.graphqlUrl,
      ADD_EDUCATION,
      { id },
      { authorization: callers[0] ?? '' },
    );
    expect(written.body['errors']).toBeUndefined();

    const education = [{ qualification: 'EDUCATION', vettingStatus: 'IN_REVIEW' }];
    for (const gateway of [b, a]) {
      for (const caller of callers) {
        expect(customerOf(await readCustomer(gateway, id, caller))?.['qualifications']).toEqual(
          education,
        );
      }
    }
  });

  it('keep answering while Redis is gone, and use it again once it is back', async () => {
    const [before, during, after] = [300, 301, 302].map((n) => generatedCustomerId(n));
    const caller = 'Bearer through-an-outage';
    await readCustomer(a, before ?? '', caller);

    await redis.kill();
    await until(() => !ready(a) && !ready(b));
    for (const gateway of [a, b]) {
      for (const id of [before, during]) {
        const answer = await readCustomer(gateway, id ?? '', caller);
        expect(answer.body['errors']).toBeUndefined();
        expect(customerOf(answer)?.['id']).toBe(id);
      }
      const readyz = await fetch(`${gateway.origin}/readyz`);
      expect({ status: readyz.status, body: await readyz.json() }).toEqual({
        status: 200,
        body: {
          status: 'ready',
          degraded: ['Redis is unreachable: the cache and the call budget are this process’s own'],
        },
      });
    }
    const warnings = a.logs
      .entries()
      .filter((entry) => entry['level'] === 40 && String(entry['msg']).startsWith('Redis'));
    // Once per connection (commands, and the subscribers of the cache, the fleet holds and the
    // watch) for the whole outage, however many reads.
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThanOrEqual(4);

    await redis.restart();
    await until(() => ready(a) && ready(b));
    const reads = a.simulator.stats.reads;
    await readCustomer(b, after ?? '', caller);
    const shared = await readCustomer(a, after ?? '', caller);
    expect(costOf(shared)).toMatchObject({ calls: 0, cacheHits: 1 });
    expect(a.simulator.stats.reads - reads).toBe(1);

    // Both replicas listen for writes again.
    const client = redis.client();
    await until(async () => {
      const counts = (await client.pubsub('NUMSUB', INVALIDATION_CHANNEL)) as [string, number];
      return counts[1] === 2;
    });
    const id = generatedCustomerId(20); // no qualifications yet
    expect(customerOf(await readCustomer(b, id, caller))?.['qualifications']).toEqual([]);
    await postGraphQL(a.graphqlUrl, ADD_EDUCATION, { id }, { authorization: caller });
    expect(customerOf(await readCustomer(b, id, caller))?.['qualifications']).toEqual([
      { qualification: 'EDUCATION', vettingStatus: 'IN_REVIEW' },
    ]);
  });
});

describe('a gateway whose Redis is not there at start', () => {
  it('answers from memory and Partner Center, ready, with one warning', async () => {
    const gone = await startRedis();
    await gone.stop();
    const lonely = await startGateway({ env: { REDIS_URL: gone.url } });
    try {
      const caller = 'Bearer no-redis';
      const id = SAMPLE_CUSTOMER_IDS.educationApproved;
      const first = await readCustomer(lonely, id, caller);
      const second = await readCustomer(lonely, id, caller);

      expect(customerOf(first)?.['id']).toBe(id);
      expect(costOf(second)).toMatchObject({ calls: 0, cacheHits: 1 });
      expect((await fetch(`${lonely.origin}/readyz`)).status).toBe(200);
      const warnings = lonely.logs.entries().filter((entry) => entry['level'] === 40);
      expect(warnings.map((entry) => entry['msg'])).toEqual(
        expect.arrayContaining([expect.stringMatching(/^Redis unreachable/) as unknown]),
      );
      // At most once per connection: commands, and the cache's, the fleet holds' and the
      // watch's subscribers.
      expect(warnings.length).toBeLessThanOrEqual(4);
      for (const line of lonely.logs.lines) expect(line).not.toContain(caller);
    } finally {
      await lonely.close();
    }
  });
});
