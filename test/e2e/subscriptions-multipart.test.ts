import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client/core';
import { afterEach, describe, expect, it } from 'vitest';
import { messageFor } from '../../src/graphql/errors.js';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import {
  CLOSING,
  eventPart,
  HEARTBEAT,
  OPENING,
  transportErrorPart,
} from '../../src/subscriptions/multipart-framing.js';
import { until } from '../helpers/cache.js';
import { startGateway, type RunningGateway, type StartOptions } from '../helpers/gateway.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';

const WATCH = /* GraphQL */ `
  subscription Watch($ids: [ID!]!) {
    customerQualificationsChanged(ids: $ids) {
      id
      qualifications {
        vettingStatus
      }
    }
  }
`;
const APPROVED = SAMPLE_CUSTOMER_IDS.educationApproved;
const IN_REVIEW = SAMPLE_CUSTOMER_IDS.educationInReview;
/** What Apollo Client 3's HttpLink sends for a subscription. */
const MULTIPART_ACCEPT = 'multipart/mixed;boundary=graphql;subscriptionSpec=1.0,application/json';
const TOKEN = { authorization: 'Bearer e2e-token' };
const FIRST_EVENT = eventPart({
  data: {
    customerQualificationsChanged: {
      id: APPROVED,
      qualifications: [{ vettingStatus: 'APPROVED' }],
    },
  },
});
/** Every poll reaches Partner Center (no cache in between), once a second. */
const POLL_EVERY_SECOND = {
  CACHE_ENABLED: 'false',
  WATCH_POLL_SECONDS: '1',
  WATCH_POLL_IN_REVIEW_SECONDS: '1',
};

const started: RunningGateway[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((running) => running.close()));
});
async function gateway(options: StartOptions = {}): Promise<RunningGateway> {
  const running = await startGateway(options);
  started.push(running);
  return running;
}

interface RawSubscription {
  readonly response: Response;
  /** Everything received so far. */
  text(): string;
  /** Reads on until `condition` holds for what has been received, or the body ends. */
  readUntil(condition: (text: string) => boolean): Promise<string>;
  /** Reads to the end of the body. */
  readToEnd(): Promise<string>;
  abort(): void;
}

/** A subscription POSTed as HttpLink does, read as raw bytes. */
async function subscribe(
  url: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = { ...TOKEN, accept: MULTIPART_ACCEPT },
  query = WATCH,
): Promise<RawSubscription> {
  const controller = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    signal: controller.signal,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let received = '';
  let ended = false;
  const readUntil = async (condition: (text: string) => boolean) => {
    while (!ended && !condition(received)) {
      const chunk = await reader?.read();
      if (chunk === undefined || chunk.done) ended = true;
      else received += decoder.decode(chunk.value as Uint8Array, { stream: true });
    }
    return received;
  };
  return {
    response,
    text: () => received,
    readUntil,
    readToEnd: () => readUntil(() => false),
    abort: () => controller.abort(),
  };
}

async function metric(running: RunningGateway, name: string): Promise<number | undefined> {
  const text = await (await fetch(`${running.origin}/metrics`)).text();
  return sampleValue(parsePrometheus(text), name);
}

describe('multipart HTTP subscriptions on POST /graphql', () => {
  it('streams the current state, then ends with an UNAUTHENTICATED transport error and the closing delimiter when Partner Center refuses the token', async () => {
    const running = await gateway({ env: POLL_EVERY_SECOND, multipartHeartbeatMs: 600_000 });
    const subscription = await subscribe(running.graphqlUrl, { ids: [APPROVED] });
    await subscription.readUntil((text) => text.includes(FIRST_EVENT));
    running.simulator.setFault(APPROVED, 'unauthorized');

    expect(await subscription.readToEnd()).toBe(
      OPENING +
        FIRST_EVENT +
        transportErrorPart([
          { message: messageFor('UNAUTHENTICATED'), extensions: { code: 'UNAUTHENTICATED' } },
        ]) +
        CLOSING,
    );
    expect(subscription.response.status).toBe(200);
    expect(subscription.response.headers.get('content-type')).toBe(
      'multipart/mixed;boundary="graphql";subscriptionSpec="1.0"',
    );
    await until(async () => (await metric(running, 'pcgw_subscriptions_open')) === 0);
  });

  it('sends a heartbeat part between events', async () => {
    const running = await gateway({ multipartHeartbeatMs: 50 });
    const subscription = await subscribe(running.graphqlUrl, { ids: [APPROVED] });
    const text = await subscription.readUntil(
      (received) =>
        received.includes(FIRST_EVENT) &&
        received.endsWith(HEARTBEAT) &&
        received.split(HEARTBEAT).length > 3,
    );
    subscription.abort();

    const heartbeats = text.replace(FIRST_EVENT, '').slice(OPENING.length);
    expect(heartbeats).toBe(HEARTBEAT.repeat(heartbeats.length / HEARTBEAT.length));
    expect(text.startsWith(OPENING)).toBe(true);
  });

  it('stops the subscription when the client goes away: its listener leaves the watch', async () => {
    const running = await gateway({ env: POLL_EVERY_SECOND });
    const subscription = await subscribe(running.graphqlUrl, { ids: [APPROVED] });
    await subscription.readUntil((text) => text.includes(FIRST_EVENT));
    expect(await metric(running, 'pcgw_subscriptions_open')).toBe(1);
    expect(await metric(running, 'pcgw_watched_customers')).toBe(1);

    subscription.abort();

    await until(async () => (await metric(running, 'pcgw_subscriptions_open')) === 0);
    await until(async () => (await metric(running, 'pcgw_watched_customers')) === 0);
    // No listener is left to poll for: the reads stop.
    const reads = running.simulator.stats.reads;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(running.simulator.stats.reads).toBe(reads);
  });

  it('ends every stream with the closing delimiter when the gateway drains for shutdown', async () => {
    const running = await gateway({ multipartHeartbeatMs: 600_000 });
    const subscription = await subscribe(running.graphqlUrl, { ids: [APPROVED] });
    await subscription.readUntil((text) => text.includes(FIRST_EVENT));

    const drained = running.gateway.drain(100);

    expect(await subscription.readToEnd()).toBe(OPENING + FIRST_EVENT + CLOSING);
    // Its connection ended with it: nothing is left for the drain to wait for.
    await drained;
  });

  it('refuses ids that are not GUIDs with a JSON 400 BAD_USER_INPUT, sending nothing upstream', async () => {
    const running = await gateway();
    const subscription = await subscribe(running.graphqlUrl, { ids: [APPROVED, 'nope'] });

    expect(subscription.response.status).toBe(400);
    expect(subscription.response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(await subscription.readToEnd())).toEqual({
      errors: [
        {
          message: 'Customer ids must be GUIDs such as 10000000-0000-4000-8000-000000000001.',
          locations: [{ line: 3, column: 5 }],
          path: ['customerQualificationsChanged'],
          extensions: { code: 'BAD_USER_INPUT', argumentName: 'ids' },
        },
      ],
    });
    expect(running.simulator.requests).toEqual([]);
  });

  it('refuses a caller without credentials with a JSON 401 UNAUTHENTICATED, sending nothing upstream', async () => {
    const running = await gateway();
    const subscription = await subscribe(
      running.graphqlUrl,
      { ids: [APPROVED] },
      { accept: MULTIPART_ACCEPT },
    );

    expect(subscription.response.status).toBe(401);
    expect(JSON.parse(await subscription.readToEnd())).toEqual({
      errors: [
        {
          message:
            'Subscribing needs the credentials an HTTP operation needs (Authorization, Router-Authorization).',
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
    expect(running.simulator.requests).toEqual([]);
  });

  it('answers a subscription POSTed without the multipart Accept with BAD_REQUEST', async () => {
    const running = await gateway();
    const subscription = await subscribe(
      running.graphqlUrl,
      { ids: [APPROVED] },
      { ...TOKEN, accept: 'application/json' },
    );

    expect(subscription.response.status).toBe(400);
    expect(JSON.parse(await subscription.readToEnd())).toEqual({
      errors: [
        {
          message:
            'Subscriptions over HTTP are POSTed with Accept: multipart/mixed;subscriptionSpec="1.0" (or use graphql-ws on this path).',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
    expect(running.simulator.requests).toEqual([]);
  });

  it('keeps CSRF prevention: a text/plain subscription is blocked as any POST /graphql would be', async () => {
    const running = await gateway();
    const subscription = await subscribe(
      running.graphqlUrl,
      { ids: [APPROVED] },
      { ...TOKEN, accept: MULTIPART_ACCEPT, 'content-type': 'text/plain' },
    );

    expect(subscription.response.status).toBe(400);
    const body = JSON.parse(await subscription.readToEnd()) as {
      errors: { message: string; extensions: unknown }[];
    };
    expect(body.errors.map((error) => error.extensions)).toEqual([{ code: 'BAD_REQUEST' }]);
    expect(body.errors[0]?.message).toMatch(/Cross-Site Request Forgery/);
    expect(running.simulator.requests).toEqual([]);
  });
});

describe('Apollo Client 3 over multipart subscriptions', () => {
  it('HttpLink alone: client.subscribe gets the state then the decision, and a watchQuery of customer(id) shows it without a refetch', async () => {
    let clock = Date.now();
    const running = await gateway({
      env: { WATCH_POLL_IN_REVIEW_SECONDS: '1', CACHE_MAX_AGE_IN_REVIEW_SECONDS: '0' },
      simulator: { vettingSeconds: 120, now: () => clock },
    });
    const sent: unknown[] = [];
    const client = new ApolloClient({
      link: new HttpLink({
        uri: running.graphqlUrl,
        headers: TOKEN,
        fetch: (uri, init) => {
          sent.push((JSON.parse(init?.body as string) as { operationName: unknown }).operationName);
          return fetch(uri, init);
        },
      }),
      cache: new InMemoryCache(),
    });
    const shown: unknown[] = [];
    const query = client
      .watchQuery<{ customer: { qualifications: { vettingStatus: string }[] } | null }>({
        query: gql(/* GraphQL */ `
          query One($id: ID!) {
            customer(id: $id) {
              id
              qualifications {
                vettingStatus
              }
            }
          }
        `),
        variables: { id: IN_REVIEW },
      })
      .subscribe({
        next: (result) => shown.push(result.data.customer?.qualifications[0]?.vettingStatus),
      });
    await until(() => shown.length >= 1);
    const events: unknown[] = [];
    const failures: unknown[] = [];
    const subscription = client
      .subscribe<{
        customerQualificationsChanged: { qualifications: { vettingStatus: string }[] };
      }>({ query: gql(WATCH), variables: { ids: [IN_REVIEW] } })
      .subscribe({
        next: (result) =>
          events.push(result.data?.customerQualificationsChanged.qualifications[0]?.vettingStatus),
        error: (error: unknown) => failures.push(error),
      });
    await until(() => events.length >= 1);

    // The simulator decides the review; the next poll (within a second) finds it. At least: an
    // emission too many fails the whole-array assertions below, saying what it was, rather than
    // waiting for ever.
    clock += 121_000;
    await until(() => events.length >= 2 && shown.length >= 2);

    expect(events).toEqual(['IN_REVIEW', 'APPROVED']);
    expect(shown).toEqual(['IN_REVIEW', 'APPROVED']);
    expect(failures).toEqual([]);
    // One query, one subscription: the query's new state came from the subscription's event.
    expect(sent).toEqual(['One', 'Watch']);
    subscription.unsubscribe();
    query.unsubscribe();
    client.stop();
    await until(async () => (await metric(running, 'pcgw_subscriptions_open')) === 0);
  });
});
