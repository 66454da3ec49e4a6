import { afterEach, describe, expect, it } from 'vitest';
import { createTestApollo, type TestApollo } from '../helpers/apollo.js';
import { testConfig } from '../helpers/config.js';
import { createMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { CUSTOMER_ID, CUSTOMERS_IDS } from '../helpers/operations.js';

const A = '40000000-0000-4000-8000-00000000000a';
const B = '40000000-0000-4000-8000-00000000000b';
const C = '40000000-0000-4000-8000-00000000000c';
const OK = { data: { customer: { id: A } } };

let upstream: MockUpstream;
let gateway: TestApollo;

async function start(env: Record<string, string> = {}) {
  upstream = createMockUpstream();
  gateway = await createTestApollo(
    upstream.agent,
    testConfig({ UPSTREAM_RETRY_BASE_MS: '10', ...env }),
  );
}

afterEach(async () => {
  await gateway.server.stop();
  await upstream.close();
});

function errorOf(body: Record<string, unknown>) {
  const errors = body['errors'] as { extensions: Record<string, unknown> }[] | undefined;
  return errors?.[0]?.extensions;
}

describe('retries of reads', () => {
  it('retries a 429 after its Retry-After and answers', async () => {
    await start();
    upstream.reply(
      A,
      429,
      { statusCode: 429, message: 'Rate limit' },
      { headers: { 'retry-after': '1' } },
    );
    upstream.reply(A, 200, []);

    const started = Date.now();
    const result = await gateway.execute(CUSTOMER_ID, { id: A });

    expect(result.body).toEqual(OK);
    expect(upstream.calls).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('retries sixty throttled customers of one operation behind one slot, with no process warning', async () => {
    await start({ UPSTREAM_MAX_CONCURRENCY: '1' });
    const ids = Array.from(
      { length: 60 },
      (_, n) => `40000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    );
    for (const id of ids) {
      upstream.reply(id, 429, { statusCode: 429 }, { headers: { 'retry-after': '1' } });
      upstream.reply(id, 200, []);
    }
    // Sixty retries waiting under the operation's one signal: a listener each on it would be a
    // MaxListenersExceededWarning (and a leak while they wait).
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const result = await gateway.execute(CUSTOMERS_IDS, { ids });
      expect(result.body).toEqual({ data: { customers: ids.map((id) => ({ id })) } });
    } finally {
      process.off('warning', onWarning);
    }
    expect(upstream.calls).toHaveLength(120);
    expect(warnings).toEqual([]);
  });

  it('gives up at once with RATE_LIMITED when Retry-After is longer than worth waiting', async () => {
    await start({ UPSTREAM_RETRY_AFTER_MAX_MS: '5000' });
    upstream.reply(
      A,
      429,
      { message: 'Try again in 57 seconds.' },
      { headers: { 'retry-after': '57' } },
    );

    const result = await gateway.execute(CUSTOMER_ID, { id: A });

    expect(errorOf(result.body)).toEqual({
      code: 'RATE_LIMITED',
      upstreamStatus: 429,
      retryAfter: 57,
      customerId: A,
    });
    expect(upstream.calls).toHaveLength(1);
  });

  it('ends a persistent 429 as RATE_LIMITED after UPSTREAM_RETRIES retries', async () => {
    await start({ UPSTREAM_RETRIES: '2' });
    upstream.reply(A, 429, {}, { headers: { 'retry-after': '0' }, times: 3 });

    const result = await gateway.execute(CUSTOMER_ID, { id: A });

    expect(errorOf(result.body)).toEqual({
      code: 'RATE_LIMITED',
      upstreamStatus: 429,
      retryAfter: 0,
      customerId: A,
    });
    expect(upstream.calls).toHaveLength(3);
  });

  it('retries a 503 and a reset connection with backoff', async () => {
    await start();
    upstream.reply(A, 503, { message: 'Service Unavailable' });
    upstream.failConnection(A);
    upstream.reply(A, 200, []);

    const result = await gateway.execute(CUSTOMER_ID, { id: A });

    expect(result.body).toEqual(OK);
    expect(upstream.calls).toHaveLength(2); // the reset attempt reaches no handler that records
  });

  it('ends a persistent outage as UPSTREAM_UNAVAILABLE after the retries', async () => {
    await start({ UPSTREAM_RETRIES: '2' });
    upstream.reply(A, 500, 'boom', { times: 3 });

    const result = await gateway.execute(CUSTOMER_ID, { id: A });

    expect(errorOf(result.body)).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      upstreamStatus: 500,
      customerId: A,
    });
    expect(upstream.calls).toHaveLength(3);
  });

  it.each([
    [400, 'BAD_USER_INPUT'],
    [401, 'UNAUTHENTICATED'],
    [403, 'FORBIDDEN'],
    [501, 'UPSTREAM_UNAVAILABLE'],
  ])('does not retry a %i', async (status, code) => {
    await start();
    upstream.reply(A, status, { code: '1', description: 'no' });

    const result = await gateway.execute(CUSTOMER_ID, { id: A });

    expect(errorOf(result.body)?.['code']).toBe(code);
    expect(upstream.calls).toHaveLength(1);
  });

  it('does not retry a body that is not JSON', async () => {
    await start();
    upstream.reply(A, 200, '[{');

    const result = await gateway.execute(CUSTOMER_ID, { id: A });

    expect(errorOf(result.body)?.['code']).toBe('UPSTREAM_BAD_RESPONSE');
    expect(upstream.calls).toHaveLength(1);
  });

  it('starts no retry that could not finish within the operation deadline', async () => {
    await start({ OPERATION_TIMEOUT_MS: '500' });
    upstream.reply(A, 429, {}, { headers: { 'retry-after': '1' } });

    const started = Date.now();
    const result = await gateway.execute(CUSTOMER_ID, { id: A });

    expect(errorOf(result.body)).toEqual({
      code: 'RATE_LIMITED',
      upstreamStatus: 429,
      retryAfter: 1,
      customerId: A,
    });
    expect(upstream.calls).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('operation deadline', () => {
  it('ends a slow upstream call as UPSTREAM_TIMEOUT at OPERATION_TIMEOUT_MS', async () => {
    await start({ OPERATION_TIMEOUT_MS: '150', UPSTREAM_TIMEOUT_MS: '10000' });
    upstream.reply(A, 200, [], { delayMs: 2000 });

    const started = Date.now();
    const result = await gateway.execute(CUSTOMER_ID, { id: A });

    expect(errorOf(result.body)).toEqual({ code: 'UPSTREAM_TIMEOUT', customerId: A });
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('circuit breaker', () => {
  it('opens after outage failures of distinct customers, fails fast, and closes after a good probe', async () => {
    await start({
      UPSTREAM_RETRIES: '0',
      BREAKER_FAILURE_THRESHOLD: '2',
      BREAKER_HALF_OPEN_MS: '200',
    });
    upstream.reply(A, 503, {});
    upstream.reply(B, 503, {});

    await gateway.execute(CUSTOMER_ID, { id: A });
    await gateway.execute(CUSTOMER_ID, { id: B });
    const whileOpen = await gateway.execute(CUSTOMER_ID, { id: C });

    expect(errorOf(whileOpen.body)).toEqual({ code: 'UPSTREAM_UNAVAILABLE', customerId: C });
    expect(upstream.calls).toHaveLength(2);

    await new Promise((resolve) => setTimeout(resolve, 250));
    upstream.reply(C, 200, []);
    upstream.reply(A, 200, []);
    const probe = await gateway.execute(CUSTOMER_ID, { id: C });
    const after = await gateway.execute(CUSTOMER_ID, { id: A });

    expect(probe.body).toEqual({ data: { customer: { id: C } } });
    expect(after.body).toEqual(OK);
    expect(upstream.calls).toHaveLength(4);
  });

  it('is not opened by one customer failing again and again; only that one fails fast', async () => {
    await start({ UPSTREAM_RETRIES: '0', BREAKER_FAILURE_THRESHOLD: '3' });
    upstream.reply(A, 500, 'boom', { times: 3 });
    upstream.reply(B, 200, []);

    const bad = [];
    for (let n = 0; n < 10; n += 1) {
      bad.push(errorOf((await gateway.execute(CUSTOMER_ID, { id: A })).body));
    }
    const other = await gateway.execute(CUSTOMER_ID, { id: B });

    expect(bad).toEqual([
      ...Array.from({ length: 3 }, () => ({
        code: 'UPSTREAM_UNAVAILABLE',
        upstreamStatus: 500,
        customerId: A,
      })),
      ...Array.from({ length: 7 }, () => ({ code: 'UPSTREAM_UNAVAILABLE', customerId: A })),
    ]);
    expect(other.body).toEqual({ data: { customer: { id: B } } });
    expect(upstream.calls).toHaveLength(4);
  });

  it('is not opened by answers about one caller (403, 404)', async () => {
    await start({ UPSTREAM_RETRIES: '0', BREAKER_FAILURE_THRESHOLD: '2' });
    upstream.reply(A, 403, {});
    upstream.reply(B, 404, {});
    upstream.reply(A, 403, {});
    upstream.reply(C, 200, []);

    await gateway.execute(CUSTOMER_ID, { id: A });
    await gateway.execute(CUSTOMER_ID, { id: B });
    await gateway.execute(CUSTOMER_ID, { id: A });
    const result = await gateway.execute(CUSTOMER_ID, { id: C });

    expect(result.body).toEqual({ data: { customer: { id: C } } });
  });
});
