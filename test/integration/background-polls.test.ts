import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import { afterEach, describe, expect, it } from 'vitest';
import { createUpstream, type Upstream } from '../../src/gateway.js';
import { createApolloServer } from '../../src/graphql/apollo.js';
import { createContextFactory, type Context } from '../../src/graphql/context.js';
import { createSchema } from '../../src/graphql/schema.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import type { CallContext } from '../../src/partner-center/types.js';
import { UpstreamError } from '../../src/partner-center/upstream-error.js';
import { TOKEN, UPSTREAM } from '../helpers/apollo.js';
import { testConfig } from '../helpers/config.js';
import { captureLogs } from '../helpers/log-capture.js';
import { createMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { CUSTOMER_ID } from '../helpers/operations.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';

/**
 * A subscription's background polls (`purpose: 'watch'`) against the real upstream wiring
 * (`createUpstream`: breaker, holds, budget, in-flight limit, hold times), next to interactive
 * reads through GraphQL on the same upstream. Each scenario: polls that fail or are throttled,
 * then interactive work that must pass.
 */

const ids = (prefix: string, count: number) =>
  Array.from(
    { length: count },
    (_, n) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`,
  );
const [A, B] = ids('70000000', 2) as [string, string];
const qualificationsOf = (id: string) => `/v1/customers/${id}/qualifications`;

interface Harness {
  readonly upstream: MockUpstream;
  readonly parts: Upstream;
  readonly metrics: Metrics;
  /** One poll of a customer's qualifications, as the watch makes it. */
  poll(id: string): Promise<unknown>;
  /** One interactive read through GraphQL: the whole response body. */
  read(id: string): Promise<Record<string, unknown>>;
}

let upstream: MockUpstream | undefined;
let server: ApolloServer<Context> | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
  await upstream?.close();
  upstream = undefined;
});

async function start(env: Record<string, string> = {}): Promise<Harness> {
  const mock = createMockUpstream();
  upstream = mock;
  const config = testConfig({ UPSTREAM_RETRY_BASE_MS: '1', ...env });
  const logs = captureLogs('info');
  const metrics = createMetrics();
  const parts = createUpstream(
    config,
    UPSTREAM,
    mock.agent,
    logs.logger,
    metrics.upstream,
    metrics.queue,
  );
  const running = createApolloServer({ schema: createSchema(), config, logger: logs.logger });
  server = running;
  await running.start();
  const createContext = createContextFactory({
    api: parts.api,
    logger: logs.logger,
    maxCustomerIds: config.maxCustomerIds,
    operationTimeoutMs: config.operationTimeoutMs,
  });
  const watchCall = (): CallContext => ({
    authorize: () => Promise.resolve(TOKEN),
    correlationId: randomUUID(),
    forwardedHeaders: {},
    purpose: 'watch',
  });
  return {
    upstream: mock,
    parts,
    metrics,
    poll: (id) => parts.api.getCustomerQualifications(id, watchCall()),
    async read(id) {
      const response = await running.executeOperation(
        { query: CUSTOMER_ID, variables: { id } },
        { contextValue: await createContext({ headers: { authorization: TOKEN } }) },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return JSON.parse(JSON.stringify(response.body.singleResult)) as Record<string, unknown>;
    },
  };
}

async function failure(answer: Promise<unknown>): Promise<UpstreamError> {
  const error = await answer.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof UpstreamError))
    throw new Error(`expected an UpstreamError: ${String(error)}`);
  return error;
}

const answered = (id: string) => ({ data: { customer: { id } } });

describe('a poll that times out', () => {
  it('leaves the cautious estimate as it was, and interactive reads are not shed', async () => {
    const harness = await start({ UPSTREAM_TIMEOUT_MS: '300', UPSTREAM_RETRIES: '0' });
    const { holdTimes } = harness.parts;
    const before = holdTimes.cautiousMs();
    harness.upstream.reply(A, 200, [], { delayMs: 2_000 });

    const timedOut = await failure(harness.poll(A));

    expect(timedOut.kind).toBe('timeout');
    expect(holdTimes.cautiousMs()).toBe(before);
    expect(holdTimes.samples()).toBe(0);
    harness.upstream.reply(B, 200, []);
    expect(await harness.read(B)).toEqual(answered(B));

    // The same timeout on an interactive read is a lower bound, and does raise it.
    harness.upstream.reply(A, 200, [], { delayMs: 2_000 });
    const raised = holdTimes.cautiousMs();
    expect(await harness.read(A)).toMatchObject({
      errors: [{ extensions: { code: 'UPSTREAM_TIMEOUT' } }],
    });
    expect(holdTimes.cautiousMs()).toBeGreaterThan(raised);
  });
});

describe('a poll that hangs on the only slot', () => {
  it('gives its slot up to an interactive read after a cautious round trip, not at its timeout', async () => {
    // Prior hold time 250 ms: cautious 750 ms, well inside the 5-s attempt timeout.
    const harness = await start({
      UPSTREAM_MAX_CONCURRENCY: '1',
      UPSTREAM_TIMEOUT_MS: '5000',
      UPSTREAM_RETRIES: '0',
    });
    harness.upstream.reply(A, 200, [], { delayMs: 30_000 });
    const hung = failure(harness.poll(A));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(harness.parts.inFlight.load()).toEqual({ active: 0, queued: 0 });

    harness.upstream.reply(B, 200, []);
    expect(await harness.read(B)).toEqual(answered(B));

    expect(await hung).toMatchObject({ kind: 'deferred', retryAfterSeconds: 1 });
    // Neither the cut poll nor its wait taught the estimate anything but the read's answer.
    expect(harness.parts.holdTimes.samples()).toBe(1);
    expect(harness.parts.resilience.breakerState()).toBe('closed');
  });
});

describe('polls that fail', () => {
  it('of as many distinct customers as open the breaker leave it closed, and interactive reads pass', async () => {
    const harness = await start({ BREAKER_FAILURE_THRESHOLD: '3', UPSTREAM_RETRIES: '0' });
    const failing = ids('71000000', 3);
    for (const id of failing) harness.upstream.reply(id, 503, { code: 'down' });

    for (const id of failing) {
      expect(await failure(harness.poll(id))).toMatchObject({ kind: 'status', status: 503 });
    }

    expect(harness.parts.resilience.breakerState()).toBe('closed');
    for (const id of [A, B]) harness.upstream.reply(id, 200, []);
    expect(await harness.read(A)).toEqual(answered(A));
    expect(await harness.read(B)).toEqual(answered(B));
    expect(harness.upstream.calls.map((call) => call.path)).toEqual([
      ...failing.map(qualificationsOf),
      qualificationsOf(A),
      qualificationsOf(B),
    ]);
  });

  it('of one customer, again and again, never hold that customer for interactive reads', async () => {
    const harness = await start({ BREAKER_FAILURE_THRESHOLD: '2', UPSTREAM_RETRIES: '0' });
    harness.upstream.reply(A, 503, { code: 'down' }, { times: 3 });

    for (let n = 0; n < 3; n += 1) {
      expect(await failure(harness.poll(A))).toMatchObject({ kind: 'status', status: 503 });
    }

    harness.upstream.reply(A, 200, []);
    expect(await harness.read(A)).toEqual(answered(A));
    expect(harness.upstream.calls).toHaveLength(4);
  });

  it('are never retried: one upstream call on a 503', async () => {
    const harness = await start({ UPSTREAM_RETRIES: '2' });
    harness.upstream.reply(A, 503, { code: 'down' });

    expect(await failure(harness.poll(A))).toMatchObject({ kind: 'status', status: 503 });
    expect(harness.upstream.calls).toHaveLength(1);
  });

  it('are deferred, without a call, while the breaker interactive reads opened is open', async () => {
    const harness = await start({ BREAKER_FAILURE_THRESHOLD: '2', UPSTREAM_RETRIES: '0' });
    const failing = ids('72000000', 2);
    for (const id of failing) harness.upstream.reply(id, 503, { code: 'down' });
    for (const id of failing) await harness.read(id);
    expect(harness.parts.resilience.breakerState()).toBe('open');

    const deferred = await failure(harness.poll(A));

    expect(deferred).toMatchObject({ kind: 'deferred', retryAfterSeconds: 10 });
    expect(harness.upstream.calls).toHaveLength(2);
  });

  it('of a customer interactive reads got held are deferred without a call; others are polled', async () => {
    const harness = await start({ BREAKER_FAILURE_THRESHOLD: '2', UPSTREAM_RETRIES: '0' });
    harness.upstream.reply(A, 503, { code: 'down' }, { times: 2 });
    for (let n = 0; n < 2; n += 1) await harness.read(A);
    expect(harness.parts.resilience.breakerState()).toBe('closed');

    expect(await failure(harness.poll(A))).toMatchObject({
      kind: 'deferred',
      retryAfterSeconds: 10,
    });
    harness.upstream.reply(B, 200, []);
    await expect(harness.poll(B)).resolves.toEqual([]);
    expect(harness.upstream.calls.map((call) => call.path)).toEqual([
      qualificationsOf(A),
      qualificationsOf(A),
      qualificationsOf(B),
    ]);
  });
});

describe('a poll answered 429', () => {
  it('holds the polls of that customer, never its interactive reads', async () => {
    const harness = await start({ UPSTREAM_RETRIES: '0' });
    harness.upstream.reply(A, 429, { code: 'slow down' }, { headers: { 'retry-after': '30' } });

    expect(await failure(harness.poll(A))).toMatchObject({
      kind: 'status',
      status: 429,
      retryAfterSeconds: 30,
    });

    harness.upstream.reply(A, 200, [], { times: 2 });
    expect(await harness.read(A)).toEqual(answered(A));
    expect(await harness.read(A)).toEqual(answered(A));
    // The next poll of that customer waits for the Retry-After, without a call.
    expect(await failure(harness.poll(A))).toMatchObject({ kind: 'deferred' });
    expect((await failure(harness.poll(A))).retryAfterSeconds).toBeGreaterThan(25);
    expect(harness.upstream.calls).toHaveLength(3);
  });

  it('but a 429 of an interactive read holds the polls too', async () => {
    const harness = await start({ UPSTREAM_RETRIES: '0' });
    harness.upstream.reply(A, 429, { code: 'slow down' }, { headers: { 'retry-after': '30' } });
    expect(await harness.read(A)).toMatchObject({
      errors: [{ extensions: { code: 'RATE_LIMITED' } }],
    });

    expect(await failure(harness.poll(A))).toMatchObject({ kind: 'deferred' });
    expect(harness.upstream.calls).toHaveLength(1);
  });
});

describe('polls and the call budget', () => {
  // 10 a minute: 15-s windows of 2 calls; 20 a minute: 15-s windows of 4 (budget-windows.ts).
  it.each([
    { perMinute: '10', points: 2 },
    { perMinute: '20', points: 4 },
  ])(
    'with UPSTREAM_MAX_CALLS_PER_MINUTE=$perMinute, polls stop at half a window and interactive reads get the rest',
    async ({ perMinute, points }) => {
      const harness = await start({
        UPSTREAM_MAX_CALLS_PER_MINUTE: perMinute,
        UPSTREAM_RETRIES: '0',
      });
      const polled = ids('73000000', points);
      for (const id of polled.slice(0, points / 2)) harness.upstream.reply(id, 200, []);

      const outcomes = [];
      for (const id of polled)
        outcomes.push(await harness.poll(id).catch((error: unknown) => error));

      expect(outcomes.slice(0, points / 2)).toEqual(Array(points / 2).fill([]));
      for (const refused of outcomes.slice(points / 2)) {
        expect(refused).toMatchObject({ kind: 'deferred' });
        expect((refused as UpstreamError).retryAfterSeconds).toBeLessThanOrEqual(15);
      }
      const readers = ids('74000000', points / 2 + 1);
      for (const id of readers.slice(0, points / 2)) harness.upstream.reply(id, 200, []);
      for (const id of readers.slice(0, points / 2)) {
        expect(await harness.read(id)).toEqual(answered(id));
      }
      // The window is spent now, by interactive reads as much as by polls.
      expect(await harness.read(readers[points / 2] as string)).toMatchObject({
        errors: [{ extensions: { code: 'RATE_LIMITED' } }],
      });
      expect(harness.upstream.calls).toHaveLength(points);
    },
  );

  it('never keeps interactive reads waiting: a poll gives back the budget call it could not send', async () => {
    const harness = await start({
      UPSTREAM_MAX_CALLS_PER_MINUTE: '20',
      UPSTREAM_MAX_CONCURRENCY: '1',
      UPSTREAM_RETRIES: '0',
    });
    harness.upstream.reply(A, 200, [], { delayMs: 200 });
    const slow = harness.read(A);
    // The only slot is taken: the poll gets its budget call, finds no slot, and gives it back.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await failure(harness.poll(B))).toMatchObject({
      kind: 'deferred',
      retryAfterSeconds: 1,
    });
    expect(await slow).toEqual(answered(A));

    const readers = ids('75000000', 3);
    for (const id of readers) harness.upstream.reply(id, 200, []);
    for (const id of readers) expect(await harness.read(id)).toEqual(answered(id));
    expect(harness.upstream.calls).toHaveLength(4);
  });
});

describe('polls in the upstream metrics', () => {
  it('show with purpose="watch", interactive reads with purpose="interactive"', async () => {
    const harness = await start({ UPSTREAM_RETRIES: '0' });
    harness.upstream.reply(A, 200, []);
    harness.upstream.reply(B, 200, []);

    await harness.poll(A);
    await harness.read(B);

    const samples = parsePrometheus(await harness.metrics.registry.metrics());
    const count = (purpose: string) =>
      sampleValue(samples, 'pcgw_upstream_request_duration_seconds_count', {
        route: '/v1/customers/{id}/qualifications',
        outcome: 'ok',
        purpose,
      });
    expect(count('watch')).toBe(1);
    expect(count('interactive')).toBe(1);
  });
});
