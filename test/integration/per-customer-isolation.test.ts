import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestApollo, UPSTREAM, type TestApollo } from '../helpers/apollo.js';
import { testConfig } from '../helpers/config.js';
import { customerJson, pageJson } from '../helpers/mock-directory.js';
import { createMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { CUSTOMER_ID } from '../helpers/operations.js';

/**
 * One customer's trouble stays that customer's: a 429 or an outage of one customer's profile read
 * holds and counts that customer, as its qualification reads always did, and a 429 of a route
 * about no one customer holds no longer than a minute whatever its `Retry-After`.
 */

const id = (n: number) => `70000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const [A, B, C, D] = [id(1), id(2), id(3), id(4)];

const PROFILE = /* GraphQL */ `
  query ($id: ID!) {
    customer(id: $id) {
      id
      companyName
    }
  }
`;

const DIRECTORY = /* GraphQL */ `
  query {
    customerDirectory(first: 2) {
      edges {
        node {
          id
          companyName
        }
      }
    }
  }
`;

let upstream: MockUpstream;
let gateway: TestApollo;

async function start(env: Record<string, string> = {}) {
  upstream = createMockUpstream();
  gateway = await createTestApollo(
    upstream.agent,
    testConfig({ UPSTREAM_RETRY_BASE_MS: '5', CACHE_ENABLED: 'false', ...env }),
  );
}

afterEach(async () => {
  vi.useRealTimers();
  await gateway.server.stop();
  await upstream.close();
});

/**
 * Answers the next `times` reads of `path` (a string, or a test of it that answers every read
 * it matches), recording each in `upstream.calls`.
 */
function reply(
  path: string | ((path: string) => boolean),
  status: number,
  body: unknown,
  options: { headers?: Record<string, string>; times?: number } = {},
) {
  const scope = upstream.agent
    .get(UPSTREAM.origin)
    .intercept({ path, method: 'GET' })
    .reply(
      status,
      (request) => {
        upstream.calls.push({ path: request.path, headers: {} });
        return JSON.stringify(body);
      },
      { headers: { 'content-type': 'application/json', ...options.headers } },
    );
  if (typeof path === 'string') scope.times(options.times ?? 1);
  else scope.persist();
}

const profilePath = (customerId: string) => `/v1/customers/${customerId}`;
const nameOf = (customerId: string) => `Company ${customerId.slice(-2)}`;
const replyProfile = (customerId: string) =>
  reply(profilePath(customerId), 200, customerJson(customerId, nameOf(customerId)));
const as = (caller: string) => ({ authorization: `Bearer ${caller}` });

function errorOf(body: Record<string, unknown>) {
  const errors = body['errors'] as { extensions: Record<string, unknown> }[] | undefined;
  return errors?.[0]?.extensions;
}

describe('a 429 on one customer’s profile read', () => {
  it('holds that customer only: other callers’ profile reads of other customers are sent and answered', async () => {
    await start({ UPSTREAM_RETRY_AFTER_MAX_MS: '5000' });
    reply(
      profilePath(A),
      429,
      { message: 'Try again in 30 seconds.' },
      {
        headers: { 'retry-after': '30' },
      },
    );
    for (const other of [B, C, D]) replyProfile(other);

    const throttled = await gateway.execute(PROFILE, { id: A }, as('caller-1'));
    const others = [];
    for (const [n, other] of [B, C, D].entries()) {
      others.push(await gateway.execute(PROFILE, { id: other }, as(`caller-${n + 2}`)));
    }
    const againA = await gateway.execute(PROFILE, { id: A }, as('caller-2'));
    // The hold is the customer's, whichever of its routes: its qualifications are held too.
    const qualificationsOfA = await gateway.execute(CUSTOMER_ID, { id: A }, as('caller-3'));

    expect(errorOf(throttled.body)).toEqual({
      code: 'RATE_LIMITED',
      upstreamStatus: 429,
      retryAfter: 30,
      customerId: A,
    });
    expect(others.map((result) => result.body)).toEqual(
      [B, C, D].map((other) => ({
        data: { customer: { id: other, companyName: nameOf(other) } },
      })),
    );
    // The customer is kept with its failed name null; asked for its id alone, the read that
    // shows it exists failed, so it is null.
    expect(throttled.body['data']).toEqual({ customer: { id: A, companyName: null } });
    expect(againA.body['data']).toEqual({ customer: { id: A, companyName: null } });
    expect(qualificationsOfA.body['data']).toEqual({ customer: null });
    for (const held of [againA, qualificationsOfA]) {
      expect(errorOf(held.body)?.['customerId']).toBe(A);
      expect(errorOf(held.body)?.['code']).toBe('RATE_LIMITED');
      expect(errorOf(held.body)?.['retryAfter']).toBeGreaterThanOrEqual(29);
      expect(errorOf(held.body)?.['retryAfter']).toBeLessThanOrEqual(30);
    }
    expect(upstream.calls.map((call) => call.path)).toEqual([A, B, C, D].map(profilePath));
  });
});

describe('an outage of profile reads', () => {
  /** Reads of 20 distinct customers, one operation each, all failing 503: the calls they cost. */
  async function twentyFailing(query: string, route: RegExp) {
    await start({ UPSTREAM_RETRIES: '2', BREAKER_FAILURE_THRESHOLD: '3' });
    reply((path) => route.test(path), 503, { message: 'Service Unavailable' });
    const codes = [];
    for (let n = 0; n < 20; n += 1) {
      codes.push(errorOf((await gateway.execute(query, { id: id(100 + n) })).body));
    }
    return { codes, calls: upstream.calls.length };
  }

  it('opens the breaker after the threshold of distinct customers, as qualification reads do', async () => {
    const profiles = await twentyFailing(PROFILE, /^\/v1\/customers\/[0-9a-f-]{36}$/);
    const healthy = await gateway.execute(PROFILE, { id: A });
    await gateway.server.stop();
    await upstream.close();

    const qualifications = await twentyFailing(CUSTOMER_ID, /\/qualifications$/);

    // Two customers fail with their retries (3 calls each); the third's first attempt opens the
    // breaker and its retry already meets it. Each error names its customer.
    const expected = [
      { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503, customerId: id(100) },
      { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503, customerId: id(101) },
      ...Array.from({ length: 18 }, (_, n) => ({
        code: 'UPSTREAM_UNAVAILABLE',
        customerId: id(102 + n),
      })),
    ];
    expect(profiles.codes).toEqual(expected);
    expect(qualifications.codes).toEqual(expected);
    expect(profiles.calls).toBe(7);
    expect(qualifications.calls).toBe(7);
    // Open: every customer fails fast, without a call.
    expect(errorOf(healthy.body)).toEqual({ code: 'UPSTREAM_UNAVAILABLE', customerId: A });
  });

  it('holds one customer whose profile keeps failing on its own; others are answered', async () => {
    await start({ UPSTREAM_RETRIES: '0', BREAKER_FAILURE_THRESHOLD: '3' });
    reply((path) => path === profilePath(A), 500, 'boom');
    replyProfile(B);

    const bad = [];
    for (let n = 0; n < 6; n += 1) {
      bad.push(errorOf((await gateway.execute(PROFILE, { id: A })).body));
    }
    const other = await gateway.execute(PROFILE, { id: B }, as('another-caller'));

    expect(bad).toEqual([
      ...Array.from({ length: 3 }, () => ({
        code: 'UPSTREAM_UNAVAILABLE',
        upstreamStatus: 500,
        customerId: A,
      })),
      ...Array.from({ length: 3 }, () => ({ code: 'UPSTREAM_UNAVAILABLE', customerId: A })),
    ]);
    expect(other.body).toEqual({ data: { customer: { id: B, companyName: nameOf(B) } } });
    expect(upstream.calls).toHaveLength(4);
  });
});

describe('a 429 with a huge Retry-After on the customer list', () => {
  it('holds the list for every caller at most a minute, then it is asked again', async () => {
    // Only the clock is faked (holds end by Date.now()); waits are refused, never slept.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    await start({ UPSTREAM_RETRIES: '0', UPSTREAM_RETRY_AFTER_MAX_MS: '0' });
    const path = '/v1/customers?size=100';
    reply(path, 429, { message: 'Try again tomorrow.' }, { headers: { 'retry-after': '86400' } });
    const page = pageJson([customerJson(A, nameOf(A)), customerJson(B, nameOf(B))]);
    reply(path, 200, page);

    const throttled = await gateway.execute(DIRECTORY, {}, as('caller-1'));
    const held = await gateway.execute(DIRECTORY, {}, as('caller-2'));
    vi.setSystemTime(Date.now() + 59_000);
    const stillHeld = await gateway.execute(DIRECTORY, {}, as('caller-3'));
    vi.setSystemTime(Date.now() + 1_001);
    const after = await gateway.execute(DIRECTORY, {}, as('caller-3'));

    // The caller that got the 429 is told what Partner Center said.
    expect(errorOf(throttled.body)).toEqual({
      code: 'RATE_LIMITED',
      upstreamStatus: 429,
      retryAfter: 86400,
    });
    // Everyone else is held a minute, not a day (nor the ten minutes of before).
    expect(errorOf(held.body)).toEqual({ code: 'RATE_LIMITED', retryAfter: 60 });
    expect(errorOf(stillHeld.body)).toEqual({ code: 'RATE_LIMITED', retryAfter: 1 });
    expect(after.body).toEqual({
      data: {
        customerDirectory: {
          edges: [A, B].map((customerId) => ({
            node: { id: customerId, companyName: nameOf(customerId) },
          })),
        },
      },
    });
    expect(upstream.calls).toHaveLength(2);
  });
});
