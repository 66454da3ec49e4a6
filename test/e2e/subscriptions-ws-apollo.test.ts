import { ApolloClient, gql, HttpLink, InMemoryCache, split } from '@apollo/client/core';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { Kind, OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { until } from '../helpers/cache.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';
import { wsUrl } from '../helpers/ws-socket.js';

/**
 * Apollo Client 3 as the README shows it: `GraphQLWsLink` for subscriptions, `HttpLink` for the
 * rest, behind a `split`. The event's `Customer` entity lands in the normalised cache, so a
 * `watchQuery` showing that customer changes without asking the gateway again.
 */

const IN_REVIEW = SAMPLE_CUSTOMER_IDS.educationInReview;
const TOKEN = 'Bearer e2e-token';
const ONE = gql(/* GraphQL */ `
  query One($id: ID!) {
    customer(id: $id) {
      id
      qualifications {
        qualification
        vettingStatus
      }
    }
  }
`);
const WATCH = gql(/* GraphQL */ `
  subscription Watch($ids: [ID!]!) {
    customerQualificationsChanged(ids: $ids) {
      id
      qualifications {
        qualification
        vettingStatus
      }
    }
  }
`);

interface Shown {
  readonly customer: {
    readonly id: string;
    readonly qualifications: { qualification: string; vettingStatus: string }[];
  } | null;
}

const started: RunningGateway[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((running) => running.close()));
});

/** Partner Center calls made for callers (not polls), every route. */
async function interactiveCalls(running: RunningGateway): Promise<number> {
  const text = await (await fetch(`${running.origin}/metrics`)).text();
  return parsePrometheus(text)
    .filter(
      (sample) =>
        sample.name === 'pcgw_upstream_request_duration_seconds_count' &&
        sample.labels['purpose'] === 'interactive',
    )
    .reduce((sum, sample) => sum + sample.value, 0);
}

async function subscriptionsOpen(running: RunningGateway): Promise<number | undefined> {
  const text = await (await fetch(`${running.origin}/metrics`)).text();
  return sampleValue(parsePrometheus(text), 'pcgw_subscriptions_open');
}

describe('Apollo Client 3: GraphQLWsLink split with HttpLink', () => {
  it('a decision found by a poll reaches client.subscribe and a watchQuery of customer(id), with no second query', async () => {
    let clock = Date.now();
    const running = await startGateway({
      env: { WATCH_POLL_IN_REVIEW_SECONDS: '1', CACHE_MAX_AGE_IN_REVIEW_SECONDS: '0' },
      simulator: { vettingSeconds: 120, now: () => clock },
    });
    started.push(running);
    const overHttp: unknown[] = [];
    const http = new HttpLink({
      uri: running.graphqlUrl,
      headers: { authorization: TOKEN },
      fetch: (uri, init) => {
        overHttp.push(
          (JSON.parse(init?.body as string) as { operationName: unknown }).operationName,
        );
        return fetch(uri, init);
      },
    });
    const connections: unknown[] = [];
    const ws = new GraphQLWsLink(
      createClient({
        url: wsUrl(running),
        webSocketImpl: WebSocket,
        connectionParams: () => ({ authorization: TOKEN }),
        on: { connected: () => connections.push('connected') },
        retryAttempts: 0,
      }),
    );
    const client = new ApolloClient({
      link: split(
        ({ query }) => {
          const definition = getMainDefinition(query);
          return (
            definition.kind === Kind.OPERATION_DEFINITION &&
            definition.operation === OperationTypeNode.SUBSCRIPTION
          );
        },
        ws,
        http,
      ),
      cache: new InMemoryCache(),
    });

    const shown: Shown[] = [];
    const query = client
      .watchQuery<Shown>({ query: ONE, variables: { id: IN_REVIEW } })
      .subscribe({ next: (result) => shown.push(result.data) });
    await until(() => shown.length === 1);
    const events: unknown[] = [];
    const failures: unknown[] = [];
    const subscription = client
      .subscribe({ query: WATCH, variables: { ids: [IN_REVIEW] } })
      .subscribe({
        next: (result) => events.push(result),
        error: (error: unknown) => failures.push(error),
      });
    await until(() => events.length === 1);
    // The query's read and the subscription's first look (an in-review answer is not cached here).
    expect(await interactiveCalls(running)).toBe(2);

    // The simulator decides the review; the next poll (within a second) finds it.
    clock += 121_000;
    await until(() => events.length === 2 && shown.length === 2);

    const customer = (vettingStatus: string) => ({
      __typename: 'Customer',
      id: IN_REVIEW,
      qualifications: [
        { __typename: 'CustomerQualification', qualification: 'EDUCATION', vettingStatus },
      ],
    });
    expect(events).toEqual([
      { data: { customerQualificationsChanged: customer('IN_REVIEW') } },
      { data: { customerQualificationsChanged: customer('APPROVED') } },
    ]);
    expect(shown).toEqual([
      { customer: customer('IN_REVIEW') },
      { customer: customer('APPROVED') },
    ]);
    expect(failures).toEqual([]);
    // The query went over HTTP once, the subscription over the one socket.
    expect(overHttp).toEqual(['One']);
    expect(connections).toEqual(['connected']);
    // What changed the query came from the poll (a watch call), not from a read for a caller.
    expect(await interactiveCalls(running)).toBe(2);

    subscription.unsubscribe();
    query.unsubscribe();
    client.stop();
    await until(async () => (await subscriptionsOpen(running)) === 0);
  });
});
