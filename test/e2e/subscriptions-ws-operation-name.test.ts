import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';

/** Sandbox and GraphiQL send the whole editor: a query beside the subscription, by name. */
const DOCUMENT = /* GraphQL */ `
  query One($id: ID!) {
    customer(id: $id) {
      id
    }
  }

  subscription Watch($ids: [ID!]!) {
    customerQualificationsChanged(ids: $ids) {
      id
      companyName
    }
  }
`;

let running: RunningGateway;

beforeAll(async () => {
  running = await startGateway({});
});

afterAll(async () => {
  await running.close();
});

it('runs the operation a graphql-ws subscribe names in a document of several', async () => {
  const client = createClient({
    url: running.graphqlUrl.replace(/^http:/, 'ws:'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: 'Bearer simulator-demo-token' },
    retryAttempts: 0,
  });
  try {
    const events = client.iterate({
      query: DOCUMENT,
      operationName: 'Watch',
      variables: {
        id: SAMPLE_CUSTOMER_IDS.educationDenied,
        ids: [SAMPLE_CUSTOMER_IDS.educationInReview],
      },
    });
    const first = await events.next();
    await events.return?.();

    expect(first).toEqual({
      done: false,
      value: {
        data: {
          customerQualificationsChanged: {
            id: SAMPLE_CUSTOMER_IDS.educationInReview,
            companyName: 'Fabrikam School District',
          },
        },
      },
    });
    // The first event is read as it is now: the qualifications, and the profile for the name.
    const customer = `/v1/customers/${SAMPLE_CUSTOMER_IDS.educationInReview}`;
    expect(running.simulator.requests.map(({ method, path }) => `${method} ${path}`)).toEqual([
      `GET ${customer}/qualifications`,
      `GET ${customer}`,
    ]);
  } finally {
    await client.dispose();
  }
});
