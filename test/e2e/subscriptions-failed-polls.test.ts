import { afterEach, expect, it } from 'vitest';
import type { FaultName } from '../../src/simulator/data.js';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { until } from '../helpers/cache.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';
import { watchEvent, wsSubscriber, type WsSubscriber } from '../helpers/subscription-clients.js';

/**
 * Issue 23: a poll that fails emits nothing, its subscriber keeps what it has, and the callers
 * right after it are served. test/integration/background-polls.test.ts shows the upstream side
 * (breaker, holds, estimate) call by call; this is the same through a real subscriber, over
 * graphql-ws, on the real gateway.
 */

const WATCHED = SAMPLE_CUSTOMER_IDS.educationApproved;
const ANOTHER = SAMPLE_CUSTOMER_IDS.educationDenied;
const TOKEN = 'Bearer failed-polls-e2e-token';
const QUERY = /* GraphQL */ `
  query One($id: ID!) {
    customer(id: $id) {
      id
      qualifications {
        qualification
        vettingStatus
      }
    }
  }
`;
const answer = (id: string, vettingStatus: string) => ({
  data: { customer: { id, qualifications: [{ qualification: 'EDUCATION', vettingStatus }] } },
});

let running: RunningGateway | undefined;
let subscriber: WsSubscriber | undefined;
afterEach(async () => {
  await subscriber?.client.dispose();
  subscriber = undefined;
  await running?.close();
  running = undefined;
});

async function metric(gateway: RunningGateway, name: string, labels: Record<string, string>) {
  const text = await (await fetch(`${gateway.origin}/metrics`)).text();
  return sampleValue(parsePrometheus(text), name, labels);
}

it.each<{ kind: string; fault: FaultName; outcome: string }>([
  { kind: 'a 5xx', fault: 'serverError', outcome: 'server_error' },
  { kind: 'a timeout', fault: 'hang', outcome: 'timeout' },
  { kind: 'a 429', fault: 'throttled', outcome: 'throttled' },
])(
  'a poll that meets $kind emits nothing, and the next queries, of another customer and of the same one, are answered',
  async ({ fault, outcome }) => {
    running = await startGateway({
      // No cache between the watch, the queries and the simulator: every read is Partner Center's.
      env: {
        CACHE_ENABLED: 'false',
        WATCH_POLL_SECONDS: '1',
        WATCH_POLL_IN_REVIEW_SECONDS: '1',
        UPSTREAM_TIMEOUT_MS: '500',
      },
    });
    const gateway = running;
    const watching = wsSubscriber(gateway.graphqlUrl, TOKEN, [WATCHED]);
    subscriber = watching;
    await until(() => watching.events.length === 1);

    gateway.simulator.setFault(WATCHED, fault, 1);
    await until(
      async () => (await metric(gateway, 'pcgw_watch_polls_total', { result: 'failed' })) === 1,
    );

    // The one poll that failed, as Partner Center answered it.
    expect(
      await metric(gateway, 'pcgw_upstream_request_duration_seconds_count', {
        route: '/v1/customers/{id}/qualifications',
        purpose: 'watch',
        outcome,
      }),
    ).toBe(1);
    const query = async (id: string) => {
      const response = await postGraphQL(
        gateway.graphqlUrl,
        QUERY,
        { id },
        { authorization: TOKEN },
      );
      return { status: response.status, body: response.body };
    };
    expect(await query(ANOTHER)).toEqual({ status: 200, body: answer(ANOTHER, 'DENIED') });
    expect(await query(WATCHED)).toEqual({ status: 200, body: answer(WATCHED, 'APPROVED') });
    // Nothing was emitted for the failure, and the subscription goes on.
    expect(watching.events).toEqual([watchEvent(WATCHED, 'APPROVED')]);
    expect(watching.errors).toEqual([]);
    expect(watching.closedWith).toBeUndefined();
    expect(
      await metric(gateway, 'pcgw_graphql_errors_total', { code: 'RATE_LIMITED' }),
    ).toBeUndefined();
    expect(await metric(gateway, 'pcgw_upstream_circuit_breaker_state', {})).toBe(0);
  },
  30_000,
);
