import type { ApolloServer } from '@apollo/server';
import { afterEach, describe, expect, it } from 'vitest';
import { createApolloServer } from '../../src/graphql/apollo.js';
import { createContextFactory, type Context } from '../../src/graphql/context.js';
import { createUpstream } from '../../src/gateway.js';
import { createSchema } from '../../src/graphql/schema.js';
import { createAdmission, type Admission } from '../../src/overload/admission.js';
import { admissionPlugin } from '../../src/overload/admission-plugin.js';
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
    expect(harness.admission.reservedReads()).toBe(0);

    upstream.reply(C, 200, [], { delayMs: 5000 });
    let hangUp: (() => void) | undefined;
    const gone = harness.execute([C], (abort) => (hangUp = abort));
    await waitFor(() => harness.admission.reservedReads() === 1);
    hangUp?.();
    const response = await gone;

    expect(response.body).toMatchObject({ data: { customers: [null] } });
    expect(harness.admission.reservedReads()).toBe(0);
    expect(harness.refusals()).toBe(0);
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
            extensions: { code: 'OVERLOADED', retryAfter: 1 },
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
