import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FAULT_CUSTOMER_IDS as FAULT,
  generatedCustomerId,
  SAMPLE_CUSTOMER_IDS,
} from '../../src/simulator/data.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';
import { CUSTOMER_ID } from '../helpers/operations.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';

/**
 * The gateway driven through each Partner Center fault over real HTTP: the answer, its code,
 * the upstream calls it cost, and that it ended within its time bounds.
 */

let running: RunningGateway;
beforeAll(async () => {
  running = await startGateway({
    env: {
      UPSTREAM_TIMEOUT_MS: '300',
      OPERATION_TIMEOUT_MS: '5000',
      UPSTREAM_RETRIES: '2',
      UPSTREAM_RETRY_BASE_MS: '20',
      // This suite is about each fault alone; the breaker has its own test below.
      BREAKER_FAILURE_THRESHOLD: '1000',
    },
    simulator: { slowBodyMs: 1000 },
  });
});
afterAll(() => running.close());
beforeEach(() => {
  running.simulator.reset();
});

async function run(id: string) {
  const started = performance.now();
  const response = await postGraphQL(running.graphqlUrl, CUSTOMER_ID, { id });
  const ms = performance.now() - started;
  const errors = response.body['errors'] as { extensions: Record<string, unknown> }[] | undefined;
  return {
    response,
    ms,
    reads: running.simulator.stats.reads,
    extensions: errors?.[0]?.extensions,
  };
}

describe('chaos', () => {
  it('429 once: waits Retry-After (1 s), retries, answers', async () => {
    const { response, ms, reads } = await run(FAULT.throttledOnce);

    expect(response.body).toEqual({ data: { customer: { id: FAULT.throttledOnce } } });
    expect(reads).toBe(2);
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(ms).toBeLessThan(3000);
  });

  it('429 always: RATE_LIMITED with retryAfter after the retries, in bounded time', async () => {
    const { response, ms, reads, extensions } = await run(FAULT.throttled);

    expect(response.body['data']).toEqual({ customer: null });
    expect(extensions).toEqual({
      code: 'RATE_LIMITED',
      upstreamStatus: 429,
      retryAfter: 1,
      customerId: FAULT.throttled,
    });
    expect(reads).toBe(3);
    expect(ms).toBeLessThan(4000);
  });

  it('503 once: retried with backoff, answers', async () => {
    const { response, ms, reads } = await run(FAULT.unavailableOnce);

    expect(response.body).toEqual({ data: { customer: { id: FAULT.unavailableOnce } } });
    expect(reads).toBe(2);
    expect(ms).toBeLessThan(1000);
  });

  it('hang: UPSTREAM_TIMEOUT at the per-attempt timeout, not retried', async () => {
    const { ms, reads, extensions } = await run(FAULT.hang);

    expect(extensions).toEqual({ code: 'UPSTREAM_TIMEOUT', customerId: FAULT.hang });
    expect(reads).toBe(1);
    expect(ms).toBeGreaterThanOrEqual(280);
    expect(ms).toBeLessThan(1500);
  });

  it('slow body: UPSTREAM_TIMEOUT when the body does not finish in time', async () => {
    const { ms, reads, extensions } = await run(FAULT.slowBody);

    expect(extensions).toEqual({ code: 'UPSTREAM_TIMEOUT', customerId: FAULT.slowBody });
    expect(reads).toBe(1);
    expect(ms).toBeLessThan(1000);
  });

  it('malformed JSON: UPSTREAM_BAD_RESPONSE, not retried', async () => {
    const { ms, reads, extensions } = await run(FAULT.malformedJson);

    expect(extensions).toEqual({
      code: 'UPSTREAM_BAD_RESPONSE',
      upstreamStatus: 200,
      customerId: FAULT.malformedJson,
    });
    expect(reads).toBe(1);
    expect(ms).toBeLessThan(1000);
  });

  it('connection reset: retried, then UPSTREAM_UNAVAILABLE', async () => {
    const { ms, reads, extensions } = await run(FAULT.connectionReset);

    expect(extensions).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      customerId: FAULT.connectionReset,
    });
    expect(reads).toBe(3);
    expect(ms).toBeLessThan(1000);
  });

  it('stays healthy after all of it', async () => {
    const { response, reads } = await run(SAMPLE_CUSTOMER_IDS.educationApproved);

    expect(response.body).toEqual({
      data: { customer: { id: SAMPLE_CUSTOMER_IDS.educationApproved } },
    });
    expect(reads).toBe(1);
    expect((await fetch(`${running.origin}/healthz`)).status).toBe(200);
  });
});

describe('client hang-up', () => {
  it('aborts the upstream call of a client that goes away', async () => {
    const slow = await startGateway({
      env: { UPSTREAM_TIMEOUT_MS: '30000', UPSTREAM_RETRIES: '0' },
    });
    try {
      const client = new AbortController();
      const request = postGraphQL(
        slow.graphqlUrl,
        CUSTOMER_ID,
        { id: FAULT.hang },
        { authorization: 'Bearer t' },
        client.signal,
      );
      await waitFor(() => slow.simulator.stats.inFlight === 1);

      client.abort();
      await request.catch(() => undefined);

      await waitFor(() => slow.simulator.stats.inFlight === 0);
      expect(slow.simulator.stats.reads).toBe(1);
    } finally {
      await slow.close();
    }
  });
});

describe('circuit breaker over HTTP', () => {
  it('fails fast during an outage of many customers and recovers after a good probe', async () => {
    const breaking = await startGateway({
      env: { UPSTREAM_RETRIES: '0', BREAKER_FAILURE_THRESHOLD: '3', BREAKER_HALF_OPEN_MS: '300' },
    });
    try {
      breaking.simulator.setFault('*', 'unavailable');
      // Evidence that Partner Center is down: three different customers fail.
      for (const id of [
        SAMPLE_CUSTOMER_IDS.educationApproved,
        SAMPLE_CUSTOMER_IDS.educationInReview,
        SAMPLE_CUSTOMER_IDS.educationDenied,
      ])
        await postGraphQL(breaking.graphqlUrl, CUSTOMER_ID, { id });

      const open = await postGraphQL(breaking.graphqlUrl, CUSTOMER_ID, {
        id: SAMPLE_CUSTOMER_IDS.stateOwnedEntity,
      });

      expect(open.body).toEqual({
        data: { customer: null },
        errors: [
          {
            message: 'Partner Center is unavailable.',
            locations: [{ line: 3, column: 5 }],
            path: ['customer'],
            extensions: {
              code: 'UPSTREAM_UNAVAILABLE',
              customerId: SAMPLE_CUSTOMER_IDS.stateOwnedEntity,
            },
          },
        ],
      });
      expect(breaking.simulator.stats.reads).toBe(3);

      breaking.simulator.setFault('*', undefined);
      await new Promise((resolve) => setTimeout(resolve, 350));
      const recovered = await postGraphQL(breaking.graphqlUrl, CUSTOMER_ID, {
        id: SAMPLE_CUSTOMER_IDS.stateOwnedEntity,
      });

      expect(recovered.body).toEqual({
        data: { customer: { id: SAMPLE_CUSTOMER_IDS.stateOwnedEntity } },
      });
      expect(breaking.simulator.stats.reads).toBe(4);
    } finally {
      await breaking.close();
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let n = 0; n < 200 && !condition(); n += 1)
    await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

describe('overload', () => {
  it('refuses a burst far beyond capacity at the door; what it admits answers in full', async () => {
    // Partner Center answers in 200 ms and the gateway may hold 2 calls: 10 reads a second.
    // 60 operations of 5 reads each arrive at once: 30 s of work, against 5 s attempts.
    const overloaded = await startGateway({
      env: {
        UPSTREAM_MAX_CONCURRENCY: '2',
        UPSTREAM_TIMEOUT_MS: '5000',
        OPERATION_TIMEOUT_MS: '10000',
      },
    });
    try {
      // The simulator's overload scenario: Partner Center slows down under a running gateway.
      const slowed = await fetch(new URL('/_simulator/latency', overloaded.simulator.url), {
        method: 'POST',
        body: JSON.stringify({ ms: 200 }),
      });
      expect(await slowed.json()).toEqual({ ms: 200 });
      const query = /* GraphQL */ `
        query ($ids: [ID!]!) {
          customers(ids: $ids) {
            id
          }
        }
      `;
      const idsOf = (op: number) =>
        Array.from({ length: 5 }, (_, n) => generatedCustomerId(op * 5 + n));

      const burst = Array.from({ length: 60 }, (_, op) =>
        postGraphQL(overloaded.graphqlUrl, query, { ids: idsOf(op) }),
      );
      const readyDuringBurst = await fetch(`${overloaded.origin}/readyz`);
      const responses = await Promise.all(burst);

      const admitted = responses.filter((response) => response.status === 200);
      const refused = responses.filter((response) => response.status !== 200);
      expect(admitted.length).toBeGreaterThan(0);
      expect(refused.length).toBeGreaterThan(0);
      for (const [op, response] of responses.entries()) {
        if (response.status === 200) {
          expect(response.body).toEqual({
            data: { customers: idsOf(op).map((id) => ({ id })) },
          });
        } else {
          const retryAfter = Number(response.headers.get('retry-after'));
          expect(response.status).toBe(503);
          expect(retryAfter).toBeGreaterThanOrEqual(1);
          expect(response.body).toEqual({
            errors: [
              {
                message: `The gateway is at capacity: this operation's 5 Partner Center reads could not finish in time. Retry in ${retryAfter} s.`,
                extensions: { code: 'OVERLOADED', retryAfter },
              },
            ],
          });
        }
      }
      // Refused operations cost Partner Center nothing; admitted ones one call per customer.
      expect(overloaded.simulator.stats.reads).toBe(admitted.length * 5);
      expect(readyDuringBurst.status).toBe(200);

      const metrics = parsePrometheus(await (await fetch(`${overloaded.origin}/metrics`)).text());
      expect(sampleValue(metrics, 'pcgw_overload_refused_operations_total')).toBe(refused.length);
      expect(sampleValue(metrics, 'pcgw_graphql_errors_total', { code: 'OVERLOADED' })).toBe(
        refused.length,
      );
      expect(
        sampleValue(metrics, 'pcgw_graphql_errors_total', { code: 'UPSTREAM_TIMEOUT' }),
      ).toBeUndefined();
      expect(sampleValue(metrics, 'pcgw_overload_reserved_reads')).toBe(0);
      expect(
        sampleValue(metrics, 'pcgw_upstream_queue_sojourn_seconds_count', { outcome: 'granted' }),
      ).toBe(admitted.length * 5);
    } finally {
      await overloaded.close();
    }
  });
});
