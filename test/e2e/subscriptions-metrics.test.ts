import { afterEach, expect, it } from 'vitest';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { until } from '../helpers/cache.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { parsePrometheus, sampleValue, type Sample } from '../helpers/prometheus.js';
import {
  multipartSubscriber,
  watchEvent,
  wsSubscriber,
  type MultipartSubscriber,
  type WsSubscriber,
} from '../helpers/subscription-clients.js';

/**
 * Issue 23's metrics, served on `/metrics` while subscribers come and go: four subscriptions
 * (three graphql-ws connections and one multipart stream) on two customers, one failed poll
 * (a 500) and one change (a review decided). Every count is checked against what the
 * simulator, Partner Center's stand-in, saw.
 */

const IN_REVIEW = SAMPLE_CUSTOMER_IDS.educationInReview;
const APPROVED = SAMPLE_CUSTOMER_IDS.educationApproved;
/** Distinctive, so that any trace of it in the metrics or the logs is found. */
const SECRET = 'metrics-e2e-secret-7f3a91c4';
const TOKEN = `Bearer ${SECRET}`;
const QUALIFICATIONS_ROUTE = '/v1/customers/{id}/qualifications';

let running: RunningGateway | undefined;
let ws: WsSubscriber[] = [];
let multipart: MultipartSubscriber | undefined;
afterEach(async () => {
  for (const subscriber of ws.splice(0)) await subscriber.client.dispose();
  multipart?.abort();
  await running?.close();
  running = undefined;
});

async function scrape(gateway: RunningGateway): Promise<{ text: string; samples: Sample[] }> {
  const text = await (await fetch(`${gateway.origin}/metrics`)).text();
  return { text, samples: parsePrometheus(text) };
}

/** The live-update metrics and the qualification reads by purpose and outcome. */
function liveMetrics(samples: readonly Sample[]) {
  const value = (name: string, labels: Record<string, string> = {}) =>
    sampleValue(samples, name, labels);
  const reads = (purpose: string, outcome: string) =>
    value('pcgw_upstream_request_duration_seconds_count', {
      route: QUALIFICATIONS_ROUTE,
      purpose,
      outcome,
    }) ?? 0;
  return {
    open: value('pcgw_subscriptions_open'),
    watched: value('pcgw_watched_customers'),
    events: value('pcgw_subscription_events_total'),
    polls: Object.fromEntries(
      ['changed', 'unchanged', 'failed', 'deferred', 'refused'].map((result) => [
        result,
        value('pcgw_watch_polls_total', { result }),
      ]),
    ),
    reads: {
      interactive: {
        ok: reads('interactive', 'ok'),
        server_error: reads('interactive', 'server_error'),
      },
      watch: { ok: reads('watch', 'ok'), server_error: reads('watch', 'server_error') },
    },
  };
}

it('counts subscriptions, watched customers, polls by result, events and watch reads exactly, back to zero when the clients leave, and never shows a token', async () => {
  let clock = Date.now();
  running = await startGateway({
    // Every poll and every first look reaches the simulator, once a second per customer.
    env: { CACHE_ENABLED: 'false', WATCH_POLL_SECONDS: '1', WATCH_POLL_IN_REVIEW_SECONDS: '1' },
    simulator: { vettingSeconds: 120, now: () => clock },
  });
  const gateway = running;
  const { simulator } = gateway;
  ws = [
    wsSubscriber(gateway.graphqlUrl, TOKEN, [IN_REVIEW]),
    wsSubscriber(gateway.graphqlUrl, TOKEN, [IN_REVIEW, APPROVED]),
    wsSubscriber(gateway.graphqlUrl, TOKEN, [APPROVED]),
  ];
  const stream = await multipartSubscriber(gateway.graphqlUrl, TOKEN, [IN_REVIEW]);
  multipart = stream;
  const counts = () => [...ws.map((s) => s.events.length), stream.events().length].join();
  await until(async () => {
    await stream.readUntil((text) => text.includes('IN_REVIEW'));
    return counts() === '1,2,1,1';
  });

  const subscribed = liveMetrics((await scrape(gateway)).samples);
  expect({ open: subscribed.open, watched: subscribed.watched, events: subscribed.events }).toEqual(
    { open: 4, watched: 2, events: 5 },
  );
  expect(subscribed.reads.interactive).toEqual({ ok: 5, server_error: 0 });

  // One poll of the approved customer fails: nothing is emitted, its watchers keep their state.
  simulator.setFault(APPROVED, 'serverError', 1);
  await until(async () => liveMetrics((await scrape(gateway)).samples).polls['failed'] === 1);
  const afterFailure = liveMetrics((await scrape(gateway)).samples);
  expect(afterFailure.events).toBe(5);
  expect(afterFailure.reads.watch.server_error).toBe(1);
  // The watch of that customer goes on: its next poll is read and finds nothing new.
  const readsOfApproved = () =>
    simulator.requests.filter((request) => request.path.includes(APPROVED)).length;
  const failedAt = readsOfApproved();
  await until(() => readsOfApproved() > failedAt && simulator.stats.inFlight === 0);
  expect(liveMetrics((await scrape(gateway)).samples).events).toBe(5);

  // The review is decided; the next poll of that customer finds it, once for all its watchers.
  clock += 121_000;
  const changeShown = () => counts() === '2,3,1,2';
  await until(async () => {
    await stream.readUntil((text) => text.includes('"APPROVED"'));
    return changeShown();
  });
  expect(ws.map((s) => s.events)).toEqual([
    [watchEvent(IN_REVIEW, 'IN_REVIEW'), watchEvent(IN_REVIEW, 'APPROVED')],
    expect.arrayContaining([
      watchEvent(IN_REVIEW, 'IN_REVIEW'),
      watchEvent(APPROVED, 'APPROVED'),
      watchEvent(IN_REVIEW, 'APPROVED'),
    ]),
    [watchEvent(APPROVED, 'APPROVED')],
  ]);
  expect(ws[1]?.events.at(-1)).toEqual(watchEvent(IN_REVIEW, 'APPROVED'));
  expect(stream.events()).toEqual([
    watchEvent(IN_REVIEW, 'IN_REVIEW'),
    watchEvent(IN_REVIEW, 'APPROVED'),
  ]);

  // They leave one by one: the approved customer is watched until its last watcher goes.
  const [first, second, third] = ws.splice(0) as [WsSubscriber, WsSubscriber, WsSubscriber];
  const openAndWatched = async () => {
    const now = liveMetrics((await scrape(gateway)).samples);
    return `${String(now.open)} open, ${String(now.watched)} watched`;
  };
  await third.client.dispose();
  await until(async () => (await openAndWatched()) === '3 open, 2 watched');
  await second.client.dispose();
  await until(async () => (await openAndWatched()) === '2 open, 1 watched');
  await first.client.dispose();
  await until(async () => (await openAndWatched()) === '1 open, 1 watched');
  stream.abort();
  await until(async () => {
    const now = liveMetrics((await scrape(gateway)).samples);
    return now.open === 0 && now.watched === 0;
  });
  // The last poll, if one was on its way, has been answered and counted.
  await until(
    async () =>
      simulator.stats.inFlight === 0 &&
      sampleValue((await scrape(gateway)).samples, 'pcgw_upstream_requests_in_flight') === 0,
  );

  const { text, samples } = await scrape(gateway);
  const left = liveMetrics(samples);
  const unchanged = left.polls['unchanged'] ?? Number.NaN;
  expect(left).toEqual({
    open: 0,
    watched: 0,
    events: 8,
    polls: { changed: 1, unchanged, failed: 1, deferred: 0, refused: 0 },
    reads: {
      interactive: { ok: 5, server_error: 0 },
      watch: { ok: 1 + unchanged, server_error: 1 },
    },
  });
  // Every poll is one of Partner Center's reads, and every read was a poll or a first look.
  expect(simulator.stats.routes['GET /v1/customers/{id}/qualifications']).toBe(
    5 + 1 + unchanged + 1,
  );
  expect(unchanged).toBeGreaterThan(0);

  expect(text).not.toContain(SECRET);
  expect(gateway.logs.lines.filter((line) => line.includes(SECRET))).toEqual([]);
  // The failed poll was logged (debug), without the token: the check above looked at real lines.
  expect(gateway.logs.entries().map((entry) => entry['msg'])).toContain('watch poll failed');
  // Once they leave, the polls stop: no listener is left to read for.
  const reads = simulator.stats.reads;
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  expect(simulator.stats.reads).toBe(reads);
}, 60_000);
