import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAULT_CUSTOMER_IDS,
  generatedCustomerId,
  SAMPLE_CUSTOMER_IDS,
} from '../../src/simulator/data.js';
import { ADD_EDUCATION, cacheLookups, costOf, customerOf, readCustomer } from '../helpers/cache.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';

/** A `CUSTOMER_READ` customer whose qualifications read failed: kept, its read's fields null. */
const failedRead = (id: string) => ({
  id,
  qualifications: null,
  qualificationsReadAt: null,
  qualificationsStale: null,
});

const APPROVED = SAMPLE_CUSTOMER_IDS.educationApproved;
const IN_REVIEW = SAMPLE_CUSTOMER_IDS.educationInReview;
const NONE = SAMPLE_CUSTOMER_IDS.noQualifications;
const UNKNOWN = '20000000-0000-4000-8000-00000000abcd';

let running: RunningGateway;
/** Partner Center answers slowly here, so that concurrent operations overlap. */
let slow: RunningGateway;

beforeAll(async () => {
  [running, slow] = await Promise.all([
    startGateway({
      env: {
        CACHE_MAX_AGE_IN_REVIEW_SECONDS: '1',
        UPSTREAM_RETRIES: '0',
        MAX_UPSTREAM_CALLS_PER_OPERATION: '2',
      },
    }),
    startGateway({ simulator: { latencyMs: 400 } }),
  ]);
});
afterAll(async () => {
  await Promise.all([running.close(), slow.close()]);
});

/** Every test reads as callers of its own, so no test sees another's entries. */
let tokens = 0;
function token(name = 'caller'): string {
  tokens += 1;
  return `Bearer ${name}-${String(tokens)}-do-not-leak`;
}

describe('the memory tier', () => {
  it('answers a second read from memory, with the time Partner Center gave the answer', async () => {
    const caller = token();
    const before = running.simulator.stats.reads;

    const first = await readCustomer(running, APPROVED, caller);
    const second = await readCustomer(running, APPROVED, caller);

    expect(running.simulator.stats.reads - before).toBe(1);
    expect(second.body['data']).toEqual(first.body['data']);
    expect(customerOf(second)).toMatchObject({
      id: APPROVED,
      qualifications: [{ qualification: 'EDUCATION', vettingStatus: 'APPROVED' }],
      qualificationsStale: false,
    });
    expect(costOf(first)).toEqual({ calls: 1, deduplicated: 0, retries: 0, cacheHits: 0 });
    expect(costOf(second)).toEqual({ calls: 0, deduplicated: 0, retries: 0, cacheHits: 1 });
    const line = running.logs
      .entries()
      .filter((entry) => entry['msg'] === 'graphql operation')
      .at(-1);
    expect(line).toMatchObject({ upstreamCalls: 0, cacheHits: 1 });
    // Never more than the entry has left.
    const maxAge = Number(/max-age=(\d+)/.exec(second.headers.get('cache-control') ?? '')?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(300);
  });

  it('keeps vetting in review and unknown customers only CACHE_MAX_AGE_IN_REVIEW_SECONDS', async () => {
    const caller = token();
    const read = () =>
      Promise.all(
        [APPROVED, NONE, IN_REVIEW, UNKNOWN].map((id) => readCustomer(running, id, caller)),
      );
    const before = running.simulator.stats.reads;
    const first = await read();
    expect(first.map(customerOf).map((customer) => customer?.['id'] ?? null)).toEqual([
      APPROVED,
      NONE,
      IN_REVIEW,
      null,
    ]);
    expect(first.map((response) => response.headers.get('cache-control'))).toEqual([
      'max-age=300, private',
      'max-age=300, private',
      'max-age=1, private',
      'max-age=1, private',
    ]);

    await sleep(1_300);
    await read();

    // The settled two (one with no qualifications at all) were answered from memory.
    expect(running.simulator.stats.reads - before).toBe(4 + 2);
  });

  it('never lets two callers see each other’s answers', async () => {
    const ours = token('partner');
    const theirs = token('other-partner');
    const before = running.simulator.stats.reads;

    for (let round = 0; round < 2; round += 1) {
      expect(customerOf(await readCustomer(running, APPROVED, ours))?.['id']).toBe(APPROVED);
      expect(customerOf(await readCustomer(running, APPROVED, theirs))).toBeNull();
    }

    expect(running.simulator.stats.reads - before).toBe(2);
    for (const line of running.logs.lines) {
      expect(line).not.toContain('do-not-leak');
    }
  });

  it('asks Partner Center again for a request with Cache-Control: no-cache, and keeps that answer', async () => {
    const caller = token();
    const before = running.simulator.stats.reads;
    const bypassed = await cacheLookups(running, 'memory', 'bypass');
    const first = await readCustomer(running, NONE, caller);
    await sleep(5);

    const refreshed = await readCustomer(running, NONE, caller, { 'cache-control': 'no-cache' });
    const after = await readCustomer(running, NONE, caller);

    expect(running.simulator.stats.reads - before).toBe(2);
    const readAt = (response: typeof first) =>
      String(customerOf(response)?.['qualificationsReadAt']);
    expect(readAt(refreshed) > readAt(first)).toBe(true);
    expect(readAt(after)).toBe(readAt(refreshed));
    expect(await cacheLookups(running, 'memory', 'bypass')).toBe(bypassed + 1);
  });
});

describe('company profiles', () => {
  const PROFILE = /* GraphQL */ `
    query ($id: ID!) {
      customer(id: $id) {
        companyName
        domain
      }
    }
  `;
  const profileCalls = () => running.simulator.stats.routes['GET /v1/customers/{id}'] ?? 0;
  const readProfile = (id: string, caller: string) =>
    postGraphQL(
      running.graphqlUrl,
      PROFILE,
      { id },
      { authorization: caller, 'x-upstream-cost': '1' },
    );

  it('are read once per caller and then answered from memory, unknown customers too', async () => {
    const [caller, other] = [token(), token()];
    const before = profileCalls();

    const first = await readProfile(APPROVED, caller);
    const again = await readProfile(APPROVED, caller);
    const unknownFirst = await readProfile(UNKNOWN, caller);
    const unknownAgain = await readProfile(UNKNOWN, caller);
    const byOther = await readProfile(APPROVED, other);

    expect(first.body['data']).toEqual({
      customer: { companyName: 'Contoso University', domain: 'contosouniversity.onmicrosoft.com' },
    });
    expect([again.body['data'], byOther.body['data']]).toEqual([
      first.body['data'],
      first.body['data'],
    ]);
    expect([unknownFirst.body['data'], unknownAgain.body['data']]).toEqual([
      { customer: null },
      { customer: null },
    ]);
    expect([costOf(again), costOf(unknownAgain)]).toEqual([
      { calls: 0, deduplicated: 0, retries: 0, cacheHits: 1 },
      { calls: 0, deduplicated: 0, retries: 0, cacheHits: 1 },
    ]);
    // APPROVED and UNKNOWN for the first caller, APPROVED again for the other.
    expect(profileCalls() - before).toBe(3);
  });
});

describe('the upstream budget', () => {
  it('counts every customer an operation reads, cached or not', async () => {
    const caller = token();
    const ids = [APPROVED, NONE, SAMPLE_CUSTOMER_IDS.stateOwnedEntity];
    for (const id of ids) await readCustomer(running, id, caller);

    const page = await postGraphQL(
      running.graphqlUrl,
      /* GraphQL */ `
        query ($ids: [ID!]!) {
          customers(ids: $ids) {
            id
          }
        }
      `,
      { ids },
      { authorization: caller },
    );

    expect(page.status).toBe(400);
    expect(page.body['errors']).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({
          code: 'BAD_USER_INPUT',
          upstreamCalls: 3,
        }) as unknown,
      }),
    ]);
  });
});

describe('stale if error', () => {
  it('answers the last answer, marked stale and no-store, while Partner Center fails', async () => {
    const caller = token();
    const id = generatedCustomerId(1); // an Education customer still in review: 1 s fresh
    const first = await readCustomer(running, id, caller);
    expect(customerOf(first)?.['qualificationsStale']).toBe(false);

    running.simulator.setFault(id, 'serverError');
    await sleep(1_300);
    const stale = await readCustomer(running, id, caller);
    running.simulator.setFault(id, undefined);
    const recovered = await readCustomer(running, id, caller);

    expect(stale.body['errors']).toBeUndefined();
    expect(customerOf(stale)).toEqual({ ...customerOf(first), qualificationsStale: true });
    expect(stale.headers.get('cache-control')).toBe('no-store');
    expect(customerOf(recovered)?.['qualificationsStale']).toBe(false);
    expect(
      String(customerOf(recovered)?.['qualificationsReadAt']) >
        String(customerOf(first)?.['qualificationsReadAt']),
    ).toBe(true);
  });

  it.each([
    ['unauthorized', 'UNAUTHENTICATED', 8],
    ['forbidden', 'FORBIDDEN', 15],
  ] as const)(
    'never covers a refusal of the caller (%s) with stale data',
    async (fault, code, n) => {
      const caller = token();
      const id = generatedCustomerId(n); // in review as well
      expect(customerOf(await readCustomer(running, id, caller))?.['id']).toBe(id);

      running.simulator.setFault(id, fault);
      await sleep(1_300);
      const refused = await readCustomer(running, id, caller);
      running.simulator.setFault(id, undefined);

      // The customer stays; each field its refused read would have answered is null, with it.
      expect(customerOf(refused)).toEqual(failedRead(id));
      expect(refused.body['errors']).toEqual(
        Array.from({ length: 3 }, (): unknown =>
          expect.objectContaining({
            extensions: expect.objectContaining({ code, customerId: id }) as unknown,
          }),
        ),
      );
    },
  );

  it('covers nothing that was never read', async () => {
    const response = await readCustomer(running, FAULT_CUSTOMER_IDS.serverError, token());
    expect(customerOf(response)).toEqual(failedRead(FAULT_CUSTOMER_IDS.serverError));
    expect(response.body['errors']).toHaveLength(3);
  });
});

describe('coalescing', () => {
  it('shares one Partner Center call among 20 concurrent operations of one caller', async () => {
    const caller = token();
    const before = slow.simulator.stats.reads;

    const answers = await Promise.all(
      Array.from({ length: 20 }, () => readCustomer(slow, APPROVED, caller)),
    );

    expect(slow.simulator.stats.reads - before).toBe(1);
    for (const answer of answers) expect(answer.body['data']).toEqual(answers[0]?.body['data']);
    expect(answers.map((answer) => customerOf(answer)?.['id'])).toEqual(
      Array.from({ length: 20 }, () => APPROVED),
    );
  });

  it('goes on for the callers still waiting when one hangs up', async () => {
    const caller = token();
    const before = slow.simulator.stats.reads;
    const leaving = new AbortController();

    const gone = postGraphQL(
      slow.graphqlUrl,
      /* GraphQL */ `{ customer(id: "${NONE}") { id } }`,
      {},
      { authorization: caller },
      leaving.signal,
    ).catch((error: unknown) => error);
    await sleep(50);
    const staying = readCustomer(slow, NONE, caller);
    await sleep(50);
    leaving.abort();

    expect(await gone).toBeInstanceOf(Error);
    const answer = await staying;
    expect(answer.body['errors']).toBeUndefined();
    expect(customerOf(answer)?.['id']).toBe(NONE);
    expect(slow.simulator.stats.reads - before).toBe(1);
  });
});

describe('writes', () => {
  it('drop the customer for every caller before the payload reads it', async () => {
    const id = generatedCustomerId(6); // no qualifications yet
    const writer = token();
    const reader = token();
    for (const caller of [writer, reader]) {
      expect(customerOf(await readCustomer(running, id, caller))?.['qualifications']).toEqual([]);
    }

    const written = await postGraphQL(
      running.graphqlUrl,
      ADD_EDUCATION,
      { id },
      { authorization: writer },
    );

    const education = [{ qualification: 'EDUCATION', vettingStatus: 'IN_REVIEW' }];
    expect(written.body).toEqual({
      data: {
        addCustomerQualification: {
          customer: { qualifications: education, qualificationsStale: false },
          errors: [],
        },
      },
    });
    for (const caller of [writer, reader]) {
      expect(customerOf(await readCustomer(running, id, caller))?.['qualifications']).toEqual(
        education,
      );
    }
  });
  it('drop the customer when Partner Center says it already has the qualification (409)', async () => {
    const id = generatedCustomerId(13); // no qualifications yet
    const caller = token();
    expect(customerOf(await readCustomer(running, id, caller))?.['qualifications']).toEqual([]);
    // Someone else adds it, straight at Partner Center: the cached answer is now behind.
    const direct = await fetch(
      new URL(`v1/customers/${id}/qualifications`, running.simulator.url),
      {
        method: 'POST',
        headers: { authorization: token(), 'content-type': 'application/json' },
        body: JSON.stringify({ qualification: 'Education', educationSegment: 'K12' }),
      },
    );
    expect(direct.status).toBe(201);

    const written = await postGraphQL(
      running.graphqlUrl,
      ADD_EDUCATION,
      { id },
      { authorization: caller },
    );

    expect(written.body).toEqual({
      data: {
        addCustomerQualification: {
          customer: {
            qualifications: [{ qualification: 'EDUCATION', vettingStatus: 'IN_REVIEW' }],
            qualificationsStale: false,
          },
          errors: [{ code: 'ALREADY_QUALIFIED' }],
        },
      },
    });
  });
});

describe('admission control', () => {
  it('admits what the cache answers even while it refuses the rest', async () => {
    // Partner Center answers in 200 ms and the gateway may hold 2 calls: 10 reads a second.
    const overloaded = await startGateway({
      env: { UPSTREAM_MAX_CONCURRENCY: '2', UPSTREAM_TIMEOUT_MS: '5000' },
    });
    try {
      const query = /* GraphQL */ `
        query ($ids: [ID!]!) {
          customers(ids: $ids) {
            id
          }
        }
      `;
      const idsOf = (op: number) =>
        Array.from({ length: 5 }, (_, n) => generatedCustomerId(500 + op * 5 + n));
      // Slow first, so that the gateway's estimate of a call's time has learnt it while warming.
      await fetch(new URL('/_simulator/latency', overloaded.simulator.url), {
        method: 'POST',
        body: JSON.stringify({ ms: 200 }),
      });
      const warm = await postGraphQL(overloaded.graphqlUrl, query, { ids: idsOf(0) });
      expect(warm.status).toBe(200);

      const burst = Array.from({ length: 40 }, (_, op) =>
        postGraphQL(overloaded.graphqlUrl, query, { ids: idsOf(op + 1) }),
      );
      const cached = await postGraphQL(overloaded.graphqlUrl, query, { ids: idsOf(0) });
      const statuses = (await Promise.all(burst)).map((response) => response.status);

      expect(statuses).toContain(503);
      expect(cached.status).toBe(200);
      expect(cached.body).toEqual({ data: { customers: idsOf(0).map((id) => ({ id })) } });
    } finally {
      await overloaded.close();
    }
  });
});
