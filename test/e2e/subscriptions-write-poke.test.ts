import { afterEach, expect, it } from 'vitest';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { ADD_EDUCATION, until } from '../helpers/cache.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';
import {
  multipartSubscriber,
  watchEvent,
  wsSubscriber,
  type MultipartSubscriber,
  type WsSubscriber,
} from '../helpers/subscription-clients.js';

/**
 * Issue 23: a write through `addCustomerQualification` reaches that customer's watchers at once,
 * on one replica without Redis. The polls are an hour apart, so only the write's own read (the
 * poke) can explain an event; what it cost is counted on the simulator.
 */

const WRITTEN = SAMPLE_CUSTOMER_IDS.noQualifications;
const OTHER = SAMPLE_CUSTOMER_IDS.stateOwnedEntity;
const TOKEN = 'Bearer poke-e2e-token';
/** Another caller: another scope, whose watchers are read with its own token. */
const SECOND_TOKEN = 'Bearer poke-e2e-second-token';

let running: RunningGateway | undefined;
const ws: WsSubscriber[] = [];
let multipart: MultipartSubscriber | undefined;
afterEach(async () => {
  for (const subscriber of ws.splice(0)) await subscriber.client.dispose();
  multipart?.abort();
  await running?.close();
  running = undefined;
});

it("emits a write at once to the customer's graphql-ws and multipart watchers in every scope, with one read per scope and none of other customers", async () => {
  running = await startGateway({
    env: { WATCH_POLL_SECONDS: '3600', WATCH_POLL_IN_REVIEW_SECONDS: '3600' },
  });
  const gateway = running;
  const { simulator } = gateway;
  ws.push(
    wsSubscriber(gateway.graphqlUrl, TOKEN, [WRITTEN]),
    wsSubscriber(gateway.graphqlUrl, SECOND_TOKEN, [WRITTEN]),
    wsSubscriber(gateway.graphqlUrl, TOKEN, [OTHER]),
  );
  const stream = await multipartSubscriber(gateway.graphqlUrl, TOKEN, [WRITTEN]);
  multipart = stream;
  const counts = () => [...ws.map((s) => s.events.length), stream.events().length].join();
  await until(async () => {
    await stream.readUntil((text) => text.includes('"payload"'));
    return counts() === '1,1,1,1';
  });
  await until(() => simulator.stats.inFlight === 0);
  const before = simulator.requests.length;

  const written = await postGraphQL(
    gateway.graphqlUrl,
    ADD_EDUCATION,
    { id: WRITTEN },
    { authorization: TOKEN },
  );
  expect(written.body).toEqual({
    data: {
      addCustomerQualification: {
        customer: {
          qualifications: [{ qualification: 'EDUCATION', vettingStatus: 'IN_REVIEW' }],
          qualificationsStale: false,
        },
        errors: [],
      },
    },
  });

  await until(async () => {
    await stream.readUntil((text) => text.includes('"IN_REVIEW"'));
    return counts() === '2,2,1,2';
  });
  const first = watchEvent(WRITTEN);
  const review = watchEvent(WRITTEN, 'IN_REVIEW');
  expect(ws.map((s) => s.events)).toEqual([
    [first, review],
    [first, review],
    [watchEvent(OTHER, null)],
  ]);
  expect(stream.events()).toEqual([first, review]);

  await until(() => simulator.stats.inFlight === 0);
  const path = `/v1/customers/${WRITTEN}/qualifications`;
  const since = simulator.requests.slice(before).map((request) => ({
    method: request.method,
    path: request.path,
    authorization: request.headers['authorization'],
  }));
  // The write, then one read per scope watching the customer (the mutation's own answer is the
  // write's); the three subscribers of the first scope share one, the other customer costs none.
  expect(since[0]).toEqual({ method: 'POST', path, authorization: TOKEN });
  expect(
    since.slice(1).sort((a, b) => String(a.authorization).localeCompare(String(b.authorization))),
  ).toEqual([
    { method: 'GET', path, authorization: SECOND_TOKEN },
    { method: 'GET', path, authorization: TOKEN },
  ]);
  const samples = parsePrometheus(await (await fetch(`${gateway.origin}/metrics`)).text());
  // Those reads are the watch's: background polls, each of which found the change.
  expect({
    changed: sampleValue(samples, 'pcgw_watch_polls_total', { result: 'changed' }),
    unchanged: sampleValue(samples, 'pcgw_watch_polls_total', { result: 'unchanged' }),
    watchReads: sampleValue(samples, 'pcgw_upstream_request_duration_seconds_count', {
      route: '/v1/customers/{id}/qualifications',
      purpose: 'watch',
      outcome: 'ok',
    }),
    events: sampleValue(samples, 'pcgw_subscription_events_total'),
  }).toEqual({ changed: 2, unchanged: 0, watchReads: 2, events: 7 });
}, 60_000);
