import type { ApolloServer } from '@apollo/server';
import { afterEach, describe, expect, it } from 'vitest';
import { createApolloServer } from '../../src/graphql/apollo.js';
import { createContextFactory, type Context } from '../../src/graphql/context.js';
import { createUpstream } from '../../src/gateway.js';
import { createSchema } from '../../src/graphql/schema.js';
import { createAdmission, type Admission } from '../../src/overload/admission.js';
import { admissionPlugin } from '../../src/overload/admission-plugin.js';
import type { HoldTimes } from '../../src/overload/hold-times.js';
import { TOKEN, UPSTREAM } from '../helpers/apollo.js';
import { testConfig } from '../helpers/config.js';
import { captureLogs } from '../helpers/log-capture.js';
import { createMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { CUSTOMERS_IDS } from '../helpers/operations.js';

const A = '60000000-0000-4000-8000-00000000000a';
const B = '60000000-0000-4000-8000-00000000000b';
const C = '60000000-0000-4000-8000-00000000000c';

interface Harness {
  readonly admission: Admission;
  readonly holdTimes: HoldTimes;
  /** Calls holding an in-flight slot, and calls waiting for one. */
  readonly load: () => { readonly active: number; readonly queued: number };
  readonly refusals: () => number;
  readonly logs: ReturnType<typeof captureLogs>;
  execute(
    ids: string[],
    onClientGone?: (abort: () => void) => void,
    query?: string,
  ): Promise<{ status: number | undefined; retryAfter: string | undefined; body: unknown }>;
}

let upstream: MockUpstream;
let server: ApolloServer<Context> | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
  await upstream.close();
});

/** The real upstream client, context factory and Apollo Server, with admission wired as in the gateway. */
async function start(
  env: Record<string, string> = {},
  uncachedReads?: (ids: ReadonlySet<string>) => number,
): Promise<Harness> {
  upstream = createMockUpstream();
  const config = testConfig({ UPSTREAM_RETRIES: '0', ...env });
  const logs = captureLogs('info');
  const { api, inFlight, holdTimes } = createUpstream(
    config,
    UPSTREAM,
    upstream.agent,
    logs.logger,
  );
  const admission = createAdmission({
    maxConcurrency: config.upstreamMaxConcurrency,
    holdTimes,
    upstreamLoad: () => inFlight.load(),
  });
  let refused = 0;
  server = createApolloServer({
    schema: createSchema(),
    config,
    logger: logs.logger,
    admission: admissionPlugin({
      admission,
      upstreamTimeoutMs: config.upstreamTimeoutMs,
      uncachedReads,
      onRefused: () => (refused += 1),
    }),
  });
  await server.start();
  const createContext = createContextFactory({
    api,
    logger: logs.logger,
    maxCustomerIds: config.maxCustomerIds,
    operationTimeoutMs: config.operationTimeoutMs,
  });
  const running = server;
  return {
    admission,
    holdTimes,
    load: () => inFlight.load(),
    refusals: () => refused,
    logs,
    async execute(ids, onClientGone, query = CUSTOMERS_IDS) {
      const response = await running.executeOperation(
        { query, variables: { ids } },
        { contextValue: await createContext({ headers: { authorization: TOKEN }, onClientGone }) },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return {
        status: response.http.status,
        retryAfter: response.http.headers.get('retry-after'),
        body: JSON.parse(JSON.stringify(response.body.singleResult)) as unknown,
      };
    },
  };
}

/** Fills the reservations as if a large operation had just been admitted on a 1-slot upstream. */
function saturate(admission: Admission): () => void {
  const decision = admission.admit(50, 10_000);
  if (!decision.admitted) throw new Error('the first operation is always admitted');
  return decision.release;
}

describe('overload admission', () => {
  it('refuses before any upstream call with 503, Retry-After and OVERLOADED', async () => {
    const harness = await start({ UPSTREAM_MAX_CONCURRENCY: '1' });
    saturate(harness.admission);

    const refused = await harness.execute([A, B]);

    // 51 rounds of the 500 ms prior and a cautious 1.5 s, against 5 s: 22 s too many.
    expect(refused).toEqual({
      status: 503,
      retryAfter: '22',
      body: {
        errors: [
          {
            message:
              "The gateway is at capacity: this operation's 2 Partner Center reads could not finish in time. Retry in 22 s.",
            extensions: { code: 'OVERLOADED', retryAfter: 22 },
          },
        ],
      },
    });
    expect(upstream.calls).toEqual([]);
    expect(harness.refusals()).toBe(1);
    expect(harness.admission.reservedReads()).toBe(50);
    const line = harness.logs.entries().find((entry) => entry['msg'] === 'graphql operation');
    expect(line?.['errorCodes']).toEqual(['OVERLOADED']);
  });

  it('charges every read the budget counts: qualifications and profile', async () => {
    const harness = await start({ UPSTREAM_MAX_CONCURRENCY: '1' });
    saturate(harness.admission);

    const refused = await harness.execute(
      [A],
      undefined,
      'query ($ids: [ID!]!) { customers(ids: $ids) { id companyName qualifications { qualification } } }',
    );

    expect(refused.body).toMatchObject({
      errors: [
        {
          message: expect.stringContaining("this operation's 2 Partner Center reads") as unknown,
          extensions: { code: 'OVERLOADED' },
        },
      ],
    });
  });

  it('leaves the upstream budget first: an operation over it is a 400, not a 503', async () => {
    const harness = await start({
      UPSTREAM_MAX_CONCURRENCY: '1',
      MAX_UPSTREAM_CALLS_PER_OPERATION: '2',
    });
    saturate(harness.admission);

    const response = await harness.execute([A, B, C]);

    expect(response.status).toBe(400);
    expect(harness.refusals()).toBe(0);
  });

  it('never refuses reads the cache answers: cache first', async () => {
    const harness = await start({ UPSTREAM_MAX_CONCURRENCY: '1' }, () => 0);
    saturate(harness.admission);
    upstream.reply(A, 200, []);

    const response = await harness.execute([A]);

    expect(response).toEqual({
      status: undefined,
      retryAfter: undefined,
      body: { data: { customers: [{ id: A }] } },
    });
  });

  it('charges every read when the cache check fails, rather than failing the operation', async () => {
    const harness = await start({ UPSTREAM_MAX_CONCURRENCY: '1' }, () => {
      throw new Error('cache unavailable');
    });
    saturate(harness.admission);

    const response = await harness.execute([A]);

    expect(response.status).toBe(503);
    expect(upstream.calls).toEqual([]);
  });

  it('releases every reservation when the operation ends: answered, failed, or client gone', async () => {
    const harness = await start();
    upstream.reply(A, 200, []);
    upstream.reply(B, 500, { code: 500, description: 'down' });

    await harness.execute([A]);
    await harness.execute([B]);
    expect(harness.admission.admittedOperations()).toBe(0);

    upstream.reply(C, 200, [], { delayMs: 5000 });
    let hangUp: (() => void) | undefined;
    const gone = harness.execute([C], (abort) => (hangUp = abort));
    await waitFor(() => harness.load().active === 1);
    expect(harness.admission.admittedOperations()).toBe(1);
    hangUp?.();
    const response = await gone;

    expect(response.body).toMatchObject({ data: { customers: [null] } });
    expect(harness.admission.admittedOperations()).toBe(0);
    expect(harness.refusals()).toBe(0);
  });
});

describe('admission reservations after a bad moment', () => {
  it('ends them after a deadline, a malformed answer, or a client gone while queued', async () => {
    const harness = await start({ UPSTREAM_MAX_CONCURRENCY: '1', OPERATION_TIMEOUT_MS: '300' });
    upstream.reply(A, 200, [], { delayMs: 3000 });
    expect(codesOf(await harness.execute([A]))).toEqual(['UPSTREAM_TIMEOUT']);
    expect(harness.admission.admittedOperations()).toBe(0);

    upstream.reply(B, 200, 'not json');
    expect(codesOf(await harness.execute([B]))).toEqual(['UPSTREAM_BAD_RESPONSE']);
    expect(harness.admission.admittedOperations()).toBe(0);

    // C holds the only slot, D waits behind it (and is never sent) when the client leaves.
    upstream.reply(C, 200, [], { delayMs: 3000 });
    const D = '60000000-0000-4000-8000-00000000000d';
    let hangUp: (() => void) | undefined;
    const gone = harness.execute([C, D], (abort) => (hangUp = abort));
    await waitFor(() => harness.load().active === 1 && harness.load().queued === 1);
    hangUp?.();
    expect((await gone).body).toMatchObject({ data: { customers: [null, null] } });
    expect(harness.admission.admittedOperations()).toBe(0);
    expect(harness.refusals()).toBe(0);
  });

  it("holds no reads for an operation's calls already answered while one of them hangs", async () => {
    const harness = await start(MEASURED);
    const warm = customers(60, '61000000');
    replyToAll(warm, 40);
    expect(await harness.execute(warm)).toEqual(answeredInFull(warm));

    // One call of a 60-customer operation hangs (its first: it holds a slot from the start);
    // the other 59 are answered through the three slots left.
    const [hung, ...rest] = customers(60, '62000000') as [string, ...string[]];
    upstream.reply(hung, 200, [], { delayMs: 3000 });
    replyToAll(rest, 40);
    const waiting = harness.execute([hung, ...rest]);
    await waitFor(() => upstream.calls.length === 60 + 59);

    // Another caller meanwhile: only one slot is taken, and nothing waits.
    const other = customers(40, '63000000');
    replyToAll(other, 40);
    expect(await harness.execute(other)).toEqual(answeredInFull(other));

    expect(codesOf(await waiting)).toEqual(['UPSTREAM_TIMEOUT']);
    expect(harness.refusals()).toBe(0);
    expect(harness.admission.admittedOperations()).toBe(0);
  });
});

describe('shedding in the queue', () => {
  it('gives OVERLOADED to the field whose call could no longer finish, and keeps the rest', async () => {
    const harness = await start({ UPSTREAM_MAX_CONCURRENCY: '1', UPSTREAM_TIMEOUT_MS: '1000' });
    // The first call holds the only slot for 800 ms; the second's 1 s attempt cannot make it.
    upstream.reply(A, 200, [], { delayMs: 800 });

    const response = await harness.execute([A, B]);

    expect(response).toEqual({
      status: undefined,
      retryAfter: undefined,
      body: {
        data: { customers: [{ id: A }, null] },
        errors: [
          {
            message: 'The gateway is at capacity and could not finish this in time; retry later.',
            locations: [{ line: 3, column: 5 }],
            path: ['customers', 1],
            extensions: { code: 'OVERLOADED', retryAfter: 1, customerId: B },
          },
        ],
      },
    });
    expect(upstream.calls.map((call) => call.path)).toEqual([`/v1/customers/${A}/qualifications`]);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let n = 0; n < 200 && !condition(); n += 1)
    await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

/** `n` distinct customer ids, each `prefix` followed by its number. */
function customers(n: number, prefix: string): string[] {
  return Array.from(
    { length: n },
    (_, i) => `${prefix}-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')}`,
  );
}

/** Every id answered: the whole response an operation for them must get. */
const answeredInFull = (ids: readonly string[]) => ({
  status: undefined,
  retryAfter: undefined,
  body: { data: { customers: ids.map((id) => ({ id })) } },
});

function replyToAll(ids: readonly string[], delayMs: number, status = 200): void {
  const body = status === 200 ? [] : { code: status, description: 'down' };
  for (const id of ids) upstream.reply(id, status, body, delayMs > 0 ? { delayMs } : {});
}

/** The error codes of a response, in field order. */
function codesOf(response: { body: unknown }): unknown[] {
  const { errors } = response.body as { errors?: { extensions?: { code?: unknown } }[] };
  return (errors ?? []).map((error) => error.extensions?.code);
}

/**
 * The measurements of issue 22, on an otherwise idle gateway: 4 slots, a 1.5 s attempt timeout,
 * and operations for 60 customers at 40 ms each (15 rounds, about 0.6 s: the last call still
 * has more than half its timeout left when its turn comes).
 */
const MEASURED = { UPSTREAM_TIMEOUT_MS: '1500', UPSTREAM_MAX_CONCURRENCY: '4' };

describe('one bad moment does not punish the next operation', () => {
  it('answers 60 healthy customers in full after one call timed out', async () => {
    const harness = await start(MEASURED);
    const before = customers(60, '61000000');
    replyToAll(before, 40);
    expect(await harness.execute(before)).toEqual(answeredInFull(before));

    const [hung] = customers(1, '62000000') as [string];
    upstream.reply(hung, 200, [], { delayMs: 3000 });
    const timedOut = await harness.execute([hung]);
    expect(timedOut.body).toEqual({
      data: { customers: [null] },
      errors: [
        {
          message: 'Partner Center did not answer in time.',
          locations: [{ line: 3, column: 5 }],
          path: ['customers', 0],
          extensions: { code: 'UPSTREAM_TIMEOUT', customerId: hung },
        },
      ],
    });

    const after = customers(60, '63000000');
    replyToAll(after, 40);
    expect(await harness.execute(after)).toEqual(answeredInFull(after));
    // The calls Partner Center answered: the hung one was sent (its interceptor is used up, which
    // the mock checks when it closes) but never answered.
    expect(upstream.calls).toHaveLength(120);
    expect(harness.refusals()).toBe(0);
  });

  it('answers 60 healthy customers in full after one slow but successful answer', async () => {
    const harness = await start(MEASURED);
    const before = customers(60, '61000000');
    replyToAll(before, 40);
    expect(await harness.execute(before)).toEqual(answeredInFull(before));

    const [slow] = customers(1, '62000000') as [string];
    upstream.reply(slow, 200, [], { delayMs: 1400 });
    expect(await harness.execute([slow])).toEqual(answeredInFull([slow]));

    const after = customers(60, '63000000');
    replyToAll(after, 40);
    expect(await harness.execute(after)).toEqual(answeredInFull(after));

    // Two callers at once, well within capacity: the second is admitted behind the first.
    const first = customers(16, '64000000');
    const second = customers(16, '65000000');
    replyToAll([...first, ...second], 40);
    const both = await Promise.all([harness.execute(first), harness.execute(second)]);
    expect(both).toEqual([answeredInFull(first), answeredInFull(second)]);
    expect(upstream.calls).toHaveLength(153);
    expect(harness.refusals()).toBe(0);
  });

  it('answers a healthy operation in full after timeouts, cancellations and a failure spell', async () => {
    // The breaker's own recovery is another piece of state; here it must not get in the way.
    const harness = await start({ ...MEASURED, BREAKER_FAILURE_THRESHOLD: '1000' });
    const warm = customers(60, '61000000');
    replyToAll(warm, 40);
    expect(await harness.execute(warm)).toEqual(answeredInFull(warm));

    // A failure spell: Partner Center answers 503 at once.
    const failing = customers(8, '62000000');
    replyToAll(failing, 0, 503);
    expect(codesOf(await harness.execute(failing))).toEqual(Array(8).fill('UPSTREAM_UNAVAILABLE'));

    // Cancellations: the client hangs up with 4 calls in flight and 4 queued (never sent).
    const cancelled = customers(8, '63000000');
    replyToAll(cancelled.slice(0, 4), 3000);
    let hangUp: (() => void) | undefined;
    const gone = harness.execute(cancelled, (abort) => (hangUp = abort));
    await waitFor(() => harness.load().active === 4);
    hangUp?.();
    expect((await gone).body).toMatchObject({ data: { customers: Array(8).fill(null) } });

    // Eight timeouts in a row, and nothing answered since.
    for (const prefix of ['64000000', '65000000']) {
      const hung = customers(4, prefix);
      replyToAll(hung, 3000);
      expect(codesOf(await harness.execute(hung))).toEqual(Array(4).fill('UPSTREAM_TIMEOUT'));
    }
    // They did count as evidence of slowness, up to the bound: half the attempt timeout.
    expect(harness.holdTimes.cautiousMs()).toBe(750);

    const healthy = customers(60, '66000000');
    replyToAll(healthy, 40);
    expect(await harness.execute(healthy)).toEqual(answeredInFull(healthy));
    expect(upstream.calls).toHaveLength(60 + 8 + 60);
    expect(harness.refusals()).toBe(0);
    expect(harness.admission.admittedOperations()).toBe(0);
  });
});

describe('under real overload it is still shed early', () => {
  it('sheds queued calls at once and refuses other callers when Partner Center is consistently slow', async () => {
    const harness = await start(MEASURED);
    const slow = customers(4, '61000000');
    replyToAll(slow, 1000);
    expect(await harness.execute(slow)).toEqual(answeredInFull(slow));

    const next = customers(12, '62000000');
    replyToAll(next.slice(0, 4), 1000);
    const running = harness.execute(next);
    await waitFor(() => harness.load().active === 4);
    const other = await harness.execute([A, B]);
    const response = await running;

    // Four calls hold the slots for a second each; none of the eight behind them could make it.
    expect(response.body).toEqual({
      data: {
        customers: [...next.slice(0, 4).map((id) => ({ id })), ...Array<null>(8).fill(null)],
      },
      errors: next.slice(4).map((shed, i) => ({
        message: 'The gateway is at capacity and could not finish this in time; retry later.',
        locations: [{ line: 3, column: 5 }],
        path: ['customers', i + 4],
        extensions: { code: 'OVERLOADED', retryAfter: 1, customerId: shed },
      })),
    });
    expect(other.status).toBe(503);
    expect(codesOf(other)).toEqual(['OVERLOADED']);
    expect(upstream.calls).toHaveLength(8);
    expect(harness.admission.admittedOperations()).toBe(0);
  });

  it('after many timeouts in a row, refuses callers that would queue and sheds before the timeout', async () => {
    const harness = await start(MEASURED);
    const warm = customers(8, '61000000');
    replyToAll(warm, 40);
    expect(await harness.execute(warm)).toEqual(answeredInFull(warm));
    const hung = customers(4, '62000000');
    replyToAll(hung, 3000);
    expect(codesOf(await harness.execute(hung))).toEqual(Array(4).fill('UPSTREAM_TIMEOUT'));

    // Partner Center still hangs: four calls take the slots, four wait.
    const next = customers(8, '63000000');
    replyToAll(next.slice(0, 4), 3000);
    const running = harness.execute(next);
    await waitFor(() => harness.load().active === 4);
    const other = await harness.execute([A, B]);
    const response = await running;

    expect(other.status).toBe(503);
    expect(codesOf(other)).toEqual(['OVERLOADED']);
    // Those in the slots time out; those behind them are shed, not left to time out.
    expect(codesOf(response)).toEqual([
      ...Array<string>(4).fill('UPSTREAM_TIMEOUT'),
      ...Array<string>(4).fill('OVERLOADED'),
    ]);
    // Answered: the warm-up only. The shed calls were never sent (they have no interceptor).
    expect(upstream.calls).toHaveLength(8);
    expect(harness.admission.admittedOperations()).toBe(0);
  });
});
