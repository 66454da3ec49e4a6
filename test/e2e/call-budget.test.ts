import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedCustomerId } from '../../src/simulator/data.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';

/** One gateway without Redis: the budget is this process's own. */
let gateway: RunningGateway;
beforeAll(async () => {
  // 500 a minute: one-second windows of 8 calls (src/fleet/budget-windows.ts).
  gateway = await startGateway({
    env: { UPSTREAM_MAX_CALLS_PER_MINUTE: '500', CACHE_ENABLED: 'false', UPSTREAM_RETRIES: '0' },
  });
});
afterAll(async () => {
  await gateway.close();
});

const PAGE = /* GraphQL */ `
  query Page($ids: [ID!]!) {
    customers(ids: $ids) {
      id
    }
  }
`;

describe('a call budget without Redis', () => {
  it('makes calls over the budget wait for room, in order, and says so in the operation log', async () => {
    const ids = Array.from({ length: 20 }, (_, n) => generatedCustomerId(500 + n));
    const before = gateway.simulator.stats.reads;

    const response = await postGraphQL(gateway.graphqlUrl, PAGE, { ids });

    expect(response.body).toEqual({ data: { customers: ids.map((id) => ({ id })) } });
    expect(gateway.simulator.stats.reads - before).toBe(20);
    const line = gateway.logs
      .entries()
      .find((entry) => entry['msg'] === 'graphql operation' && entry['operationName'] === 'Page');
    // 8 at once, the other 12 in the next windows (at least 4 of them, should the first 20
    // asks straddle a window's end on a busy machine).
    expect(line).toMatchObject({ upstreamCalls: 20, errorCodes: [] });
    expect(line?.['budgetWaits']).toBeGreaterThanOrEqual(4);
    expect(line?.['budgetWaits']).toBeLessThanOrEqual(12);
    expect(line?.['budgetWaitMs']).toBeGreaterThan(0);

    const samples = parsePrometheus(await (await fetch(`${gateway.origin}/metrics`)).text());
    expect(
      sampleValue(samples, 'pcgw_fleet_budget_wait_seconds_count', { outcome: 'granted' }),
    ).toBe(20);
    expect(sampleValue(samples, 'pcgw_fleet_budget_mode', { mode: 'local' })).toBe(1);
    expect(sampleValue(samples, 'pcgw_fleet_budget_mode', { mode: 'shared' })).toBe(0);
  });
});
