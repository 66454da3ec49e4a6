import { once } from 'node:events';
import type { Client } from 'graphql-ws';
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import { CLOSING, eventPart, OPENING } from '../../src/subscriptions/multipart-framing.js';
import { until } from '../helpers/cache.js';
import { Agent, request } from 'undici';
import { postGraphQL, startGateway } from '../helpers/gateway.js';
import { startHeldUpstream, type HeldUpstream } from '../helpers/held-upstream.js';
import { killMainProcesses, startMain } from '../helpers/main-process.js';
import {
  multipartSubscriber,
  WATCH,
  watchEvent as event,
  wsSubscriber,
} from '../helpers/subscription-clients.js';

/**
 * Issue 23's lifecycle on a real `src/main.ts` process: on SIGTERM the gateway refuses new
 * subscriptions, answers the HTTP request still in flight, then closes every graphql-ws socket
 * with 1001 and ends every multipart stream with its closing delimiter, and exits 0. Then the
 * grace's bound and the multipart refusal, on a gateway in this process.
 */

const APPROVED = SAMPLE_CUSTOMER_IDS.educationApproved;
const DENIED = SAMPLE_CUSTOMER_IDS.educationDenied;
/** Read by the HTTP request that is in flight when the signal comes. */
const SLOW = SAMPLE_CUSTOMER_IDS.stateOwnedEntity;
const TOKEN = 'Bearer shutdown-e2e-token';
const GRACE_MS = 20_000;
const QUERY = /* GraphQL */ `
  query One($id: ID!) {
    customer(id: $id) {
      qualifications {
        qualification
      }
    }
  }
`;
let simulator: Simulator | undefined;
let upstream: HeldUpstream | undefined;
const clients: Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.dispose();
  killMainProcesses();
  upstream?.release();
  await upstream?.close();
  await simulator?.close();
});

/** One subscribe on an open client, resolving with what ended it. */
function subscribeOnce(
  client: Client,
  ids: string[],
): Promise<{ events: unknown[]; end: unknown }> {
  const events: unknown[] = [];
  return new Promise((resolve) => {
    client.subscribe(
      { query: WATCH, variables: { ids } },
      {
        next: (result) => events.push(result),
        error: (error) => resolve({ events, end: error }),
        complete: () => resolve({ events, end: 'complete' }),
      },
    );
  });
}

/** Whether a WebSocket to `url` can still be opened: the error it met, or 'open'. */
function tryUpgrade(url: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    socket.once('open', () => {
      socket.terminate();
      resolve('open');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

it('on SIGTERM refuses new subscriptions, answers the HTTP request in flight, then closes every socket with 1001 and ends every multipart stream, and exits 0', async () => {
  simulator = await startSimulator({ port: 0 });
  upstream = await startHeldUpstream(simulator.url);
  const main = startMain({
    PORT: '0',
    HOST: '127.0.0.1',
    PARTNER_CENTER_BASE_URL: upstream.url,
    SHUTDOWN_GRACE_MS: String(GRACE_MS),
  });
  const url = await main.listening;
  const wsUrl = url.replace('http', 'ws');
  const subscribers = [[APPROVED], [APPROVED, DENIED], [DENIED]].map((ids) =>
    wsSubscriber(url, TOKEN, ids),
  );
  clients.push(...subscribers.map((subscriber) => subscriber.client));
  // Each customer's current state first: one event per watched customer.
  await until(() => subscribers.map((s) => s.events.length).join() === '1,2,1');
  const multipart = await multipartSubscriber(url, TOKEN, [APPROVED]);
  const firstPart = eventPart(event(APPROVED, 'APPROVED'));
  await multipart.readUntil((text) => text.includes(firstPart));

  upstream.hold(`/customers/${SLOW}/`);
  const inFlight = postGraphQL(url, QUERY, { id: SLOW }, { authorization: TOKEN });
  // A failed test kills the gateway with the request on its way: that is no second failure.
  inFlight.catch(() => undefined);
  await until(() => upstream?.held() === 1);

  const signalledAt = Date.now();
  main.child.kill('SIGTERM');
  const closed = once(main.child, 'close');
  await until(() =>
    main.lines.some((line) => line['msg'] === 'shutting down: draining requests in flight'),
  );

  // No new socket, and no new subscription on a socket still open.
  expect(await tryUpgrade(wsUrl)).toBe('ECONNREFUSED');
  const refused = await subscribeOnce(subscribers[0]?.client as Client, [DENIED]);
  expect(refused).toEqual({
    events: [],
    end: [
      {
        message: 'The gateway is shutting down; subscribe again to reach another replica.',
        extensions: { code: 'SHUTTING_DOWN' },
      },
    ],
  });
  // While the HTTP request is still in flight, the sockets stay open.
  expect(subscribers.map((s) => s.closedWith)).toEqual([undefined, undefined, undefined]);

  upstream.release();
  const answer = await inFlight;
  expect({
    status: answer.status,
    connection: answer.headers.get('connection'),
    body: answer.body,
  }).toEqual({
    status: 200,
    connection: 'close',
    body: { data: { customer: { qualifications: [{ qualification: 'STATE_OWNED_ENTITY' }] } } },
  });

  expect(await multipart.readToEnd()).toBe(OPENING + firstPart + CLOSING);
  await until(() => subscribers.every((s) => s.closedWith !== undefined));
  const socketsClosedAt = Date.now();
  const [code] = (await closed) as [number | null];

  expect(subscribers.map((s) => s.closedWith)).toEqual([1001, 1001, 1001]);
  // Each subscription was ended by that close, which graphql-ws clients answer by reconnecting.
  expect(subscribers.map((s) => s.errors.map((e) => (e as { code: number }).code))).toEqual([
    [1001],
    [1001],
    [1001],
  ]);
  expect(socketsClosedAt - signalledAt).toBeLessThan(GRACE_MS);
  // Their first states, and nothing from the subscription refused.
  expect(subscribers.map((s) => s.events.map((e) => JSON.stringify(e)).sort())).toEqual([
    [JSON.stringify(event(APPROVED, 'APPROVED'))],
    [JSON.stringify(event(APPROVED, 'APPROVED')), JSON.stringify(event(DENIED, 'DENIED'))],
    [JSON.stringify(event(DENIED, 'DENIED'))],
  ]);
  expect(code).toBe(0);
  expect(main.lines.map((line) => line['msg']).at(-1)).toBe('shut down');
  expect(JSON.stringify(main.lines) + main.stderr()).not.toContain('shutdown-e2e-token');
}, 60_000);

it('closes the sockets with 1001 by the end of the grace even while an HTTP request is still in flight', async () => {
  const running = await startGateway({
    env: { OPERATION_TIMEOUT_MS: '60000', UPSTREAM_TIMEOUT_MS: '60000', CACHE_ENABLED: 'false' },
  });
  try {
    const subscriber = wsSubscriber(running.graphqlUrl, TOKEN, [APPROVED]);
    clients.push(subscriber.client);
    await until(() => subscriber.events.length === 1);
    running.simulator.setFault(SLOW, 'hang');
    const inFlight = postGraphQL(running.graphqlUrl, QUERY, { id: SLOW }, { authorization: TOKEN });
    inFlight.catch(() => undefined);
    await until(() => running.simulator.stats.inFlight === 1);

    const drained = running.gateway.drain(50, 300);

    // The request Partner Center never answers cannot hold the subscribers back.
    await until(() => subscriber.closedWith !== undefined);
    expect(subscriber.closedWith).toBe(1001);
    expect(running.simulator.stats.inFlight).toBe(1);
    // What main.ts does at the end of the grace: the request is answered, and the drain ends.
    expect(running.gateway.cutOperationsShort()).toBe(1);
    const answer = await inFlight;
    expect(answer.body['errors']).toMatchObject([{ extensions: { code: 'SHUTTING_DOWN' } }]);
    await drained;
  } finally {
    await running.close();
  }
});

it('refuses a multipart subscription sent on a kept-alive connection once the drain has begun (503 SHUTTING_DOWN)', async () => {
  const running = await startGateway();
  // One connection, kept alive: the subscription after the drain can only travel on it.
  const agent = new Agent({ connections: 1 });
  try {
    const post = (headers: Record<string, string>, query: string, ids: string[]) =>
      request(running.graphqlUrl, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json', authorization: TOKEN, ...headers },
        body: JSON.stringify({ query, variables: { id: ids[0], ids } }),
      });
    const first = await post({}, QUERY, [APPROVED]);
    expect(first.statusCode).toBe(200);
    await first.body.text();

    // A linger long enough that the connection is not closed as idle before the POST reaches it.
    const drained = running.gateway.drain(5_000);
    const refused = await post(
      { accept: 'multipart/mixed;subscriptionSpec="1.0",application/json' },
      WATCH,
      [APPROVED],
    );

    expect({
      status: refused.statusCode,
      connection: refused.headers['connection'],
      body: await refused.body.json(),
    }).toEqual({
      status: 503,
      connection: 'close',
      body: {
        errors: [
          {
            message: 'The gateway is shutting down; subscribe again to reach another replica.',
            extensions: { code: 'SHUTTING_DOWN' },
          },
        ],
      },
    });
    // That answer asked the client to close its connection, the last one: the drain ends with
    // the linger.
    await drained;
  } finally {
    await agent.close();
    await running.close();
  }
});
