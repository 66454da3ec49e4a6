import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_CUSTOMER_IDS, SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';

const TOKEN = 'Bearer operations-secret-token';
const A = SAMPLE_CUSTOMER_IDS.educationApproved;
const B = SAMPLE_CUSTOMER_IDS.stateOwnedEntity;
const QUERY = /* GraphQL */ `
  query PageOfCustomers($ids: [ID!]!) {
    customers(ids: $ids) {
      id
    }
  }
`;

let running: RunningGateway;
beforeAll(async () => {
  // Each operation's own cost is counted here: the cache's share is tested in cache tests.
  running = await startGateway({ env: { UPSTREAM_RETRY_BASE_MS: '5', CACHE_ENABLED: 'false' } });
});
afterAll(() => running.close());

async function scrape() {
  const response = await fetch(`${running.origin}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return parsePrometheus(await response.text());
}

describe('one log line per operation', () => {
  it('states name, duration, correlation id, upstream calls, de-duplication, retries and codes', async () => {
    running.simulator.setFault(B, 'unavailableOnce');
    const correlationId = '2a0c7f7e-8a0d-4f57-9b1e-4b9f1d9f3c21';

    await postGraphQL(
      running.graphqlUrl,
      QUERY,
      { ids: [A, A, B, 'nope'] },
      {
        authorization: TOKEN,
        'ms-correlationid': correlationId,
      },
    );

    const line = running.logs
      .entries()
      .find(
        (entry) => entry['msg'] === 'graphql operation' && entry['correlationId'] === correlationId,
      );
    expect(line).toMatchObject({
      level: 30,
      operationName: 'PageOfCustomers',
      operationType: 'query',
      upstreamCalls: 3,
      deduplicated: 1,
      retries: 1,
      errorCodes: ['BAD_USER_INPUT'],
    });
    expect(line?.['durationMs']).toEqual(expect.any(Number));
  });

  it('writes one debug line per upstream call with method, route template, status and latency', async () => {
    const correlationId = '7d3b5c0e-51a4-4f1c-8f0f-0a8f2c6c9e55';

    await postGraphQL(
      running.graphqlUrl,
      QUERY,
      { ids: [A] },
      { authorization: TOKEN, 'ms-correlationid': correlationId },
    );

    const calls = running.logs
      .entries()
      .filter(
        (entry) =>
          entry['msg'] === 'partner center call' && entry['correlationId'] === correlationId,
      );
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      level: 20,
      method: 'GET',
      route: '/v1/customers/{id}/qualifications',
      status: 200,
      outcome: 'ok',
    });
    expect(calls[0]?.['ms']).toEqual(expect.any(Number));
  });

  it('never writes the token, and every line is JSON', () => {
    expect(running.logs.entries()).toHaveLength(running.logs.lines.length);
    expect(running.logs.lines.join('\n')).not.toContain('operations-secret-token');
  });
});

describe('/metrics', () => {
  it('exposes upstream latency, retries, breaker, batching, operations and errors with bounded labels', async () => {
    running.simulator.setFault(B, 'unavailableOnce');
    await postGraphQL(running.graphqlUrl, QUERY, { ids: [A, B, A, FAULT_CUSTOMER_IDS.forbidden] });

    const samples = await scrape();

    const route = '/v1/customers/{id}/qualifications';
    expect(
      sampleValue(samples, 'pcgw_upstream_request_duration_seconds_count', {
        route,
        outcome: 'ok',
        purpose: 'interactive',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      sampleValue(samples, 'pcgw_upstream_request_duration_seconds_count', {
        route,
        outcome: 'server_error',
        purpose: 'interactive',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sampleValue(samples, 'pcgw_upstream_request_duration_seconds_count', {
        route,
        outcome: 'client_error',
        purpose: 'interactive',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sampleValue(samples, 'pcgw_upstream_retries_total', {
        route,
        reason: 'server_error',
        purpose: 'interactive',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'pcgw_upstream_requests_in_flight')).toBe(0);
    expect(sampleValue(samples, 'pcgw_upstream_circuit_breaker_state')).toBe(0);
    expect(sampleValue(samples, 'pcgw_dataloader_batch_size_count')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'pcgw_dataloader_deduplicated_loads_total')).toBeGreaterThanOrEqual(
      1,
    );
    expect(
      sampleValue(samples, 'pcgw_graphql_operation_duration_seconds_count', {
        operation_type: 'query',
        outcome: 'error',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sampleValue(samples, 'pcgw_graphql_errors_total', { code: 'FORBIDDEN' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'pcgw_process_resident_memory_bytes')).toBeGreaterThan(0);

    const labelValues = samples.flatMap((sample) => Object.values(sample.labels));
    for (const id of [A, B, FAULT_CUSTOMER_IDS.forbidden]) {
      expect(labelValues.join(' ')).not.toContain(id);
    }
    expect(labelValues.join(' ')).not.toContain('PageOfCustomers');
  });
});

describe('upstream cost in the response', () => {
  it('answers extensions.upstreamCost when asked, outside production', async () => {
    const response = await postGraphQL(
      running.graphqlUrl,
      QUERY,
      { ids: [A, A, B] },
      {
        authorization: TOKEN,
        'x-upstream-cost': '1',
      },
    );

    expect(response.body).toEqual({
      data: { customers: [{ id: A }, { id: A }, { id: B }] },
      extensions: { upstreamCost: { calls: 2, deduplicated: 1, retries: 0, cacheHits: 0 } },
    });
  });

  it('leaves the response alone when not asked', async () => {
    const response = await postGraphQL(running.graphqlUrl, QUERY, { ids: [A] });

    expect(response.body).toEqual({ data: { customers: [{ id: A }] } });
  });
});

describe('/readyz', () => {
  it('stays ready but says degraded while the circuit breaker is open (every replica shares it)', async () => {
    const breaking = await startGateway({
      env: { UPSTREAM_RETRIES: '0', BREAKER_FAILURE_THRESHOLD: '1', BREAKER_HALF_OPEN_MS: '200' },
    });
    const degraded = async () =>
      sampleValue(
        parsePrometheus(await (await fetch(`${breaking.origin}/metrics`)).text()),
        'pcgw_degraded',
        { reason: 'circuit_breaker_open' },
      );
    try {
      await postGraphQL(breaking.graphqlUrl, QUERY, { ids: [FAULT_CUSTOMER_IDS.serverError] });

      const open = await fetch(`${breaking.origin}/readyz`);
      expect([open.status, await open.json()]).toEqual([
        200,
        { status: 'ready', degraded: ['Partner Center circuit breaker is open'] },
      ]);
      expect(await degraded()).toBe(1);

      await new Promise((resolve) => setTimeout(resolve, 250));
      await postGraphQL(breaking.graphqlUrl, QUERY, { ids: [A] });
      const closed = await fetch(`${breaking.origin}/readyz`);
      expect([closed.status, await closed.json()]).toEqual([200, { status: 'ready' }]);
      expect(await degraded()).toBe(0);
    } finally {
      await breaking.close();
    }
  });

  it('is not ready once shutdown has begun', async () => {
    const draining = await startGateway();
    try {
      draining.gateway.setDraining();

      const response = await fetch(`${draining.origin}/readyz`);

      expect([response.status, await response.json()]).toEqual([
        503,
        { status: 'not ready', problems: ['shutting down'] },
      ]);
    } finally {
      await draining.close();
    }
  });
});
