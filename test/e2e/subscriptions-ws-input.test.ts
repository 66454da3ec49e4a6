import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { until } from '../helpers/cache.js';
import { startGateway, type RunningGateway, type StartOptions } from '../helpers/gateway.js';
import { openSocket, subscribeMessage, type RawSocket } from '../helpers/ws-socket.js';

/**
 * What a subscription over graphql-ws may watch: `ids` checked as `customers(ids:)` checks them
 * before anything is read, duplicates folded, and a customer Partner Center does not know
 * emitted once as such.
 */

const APPROVED = SAMPLE_CUSTOMER_IDS.educationApproved;
const IN_REVIEW = SAMPLE_CUSTOMER_IDS.educationInReview;
/** A GUID the simulator knows nothing of: Partner Center answers 404. */
const UNKNOWN = '20000000-0000-4000-8000-00000000abcd';
const TOKEN = 'Bearer e2e-token';
const WATCH = /* GraphQL */ `
  subscription ($ids: [ID!]!) {
    customerQualificationsChanged(ids: $ids) {
      id
      knownToPartnerCenter
      qualifications {
        vettingStatus
      }
    }
  }
`;
/** Every poll reaches Partner Center, once a second. */
const POLL_EVERY_SECOND = {
  CACHE_ENABLED: 'false',
  WATCH_POLL_SECONDS: '1',
  WATCH_POLL_IN_REVIEW_SECONDS: '1',
};

const started: RunningGateway[] = [];
const sockets: RawSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await Promise.all(started.splice(0).map((running) => running.close()));
});
async function gateway(options: StartOptions = {}): Promise<RunningGateway> {
  const running = await startGateway(options);
  started.push(running);
  return running;
}
async function connected(running: RunningGateway): Promise<RawSocket> {
  const raw = await openSocket(running);
  sockets.push(raw);
  await raw.init({ authorization: TOKEN });
  return raw;
}

/** The messages of one subscription id, in order. */
function of(raw: RawSocket, id: string): unknown[] {
  return raw.messages.filter(
    (message) => (message as Record<string, unknown> | null)?.['id'] === id,
  );
}

/** Qualification reads of `id` Partner Center answered. */
function readsOf(running: RunningGateway, id: string): number {
  return running.simulator.requests.filter((request) =>
    request.path.startsWith(`/v1/customers/${id}/qualifications`),
  ).length;
}

function event(id: string, known: boolean, statuses: string[]) {
  return {
    customerQualificationsChanged: {
      id,
      knownToPartnerCenter: known,
      qualifications: statuses.map((vettingStatus) => ({ vettingStatus })),
    },
  };
}

const NOT_GUIDS = {
  message: 'Customer ids must be GUIDs such as 10000000-0000-4000-8000-000000000001.',
  locations: [{ line: 3, column: 5 }],
  path: ['customerQualificationsChanged'],
  extensions: { code: 'BAD_USER_INPUT', argumentName: 'ids' },
};

describe('graphql-ws: the ids a subscription watches', () => {
  it.each([
    ['an id that is not a GUID', [APPROVED, 'nope'], NOT_GUIDS],
    ['a GUID with braces', [`{${APPROVED}}`], NOT_GUIDS],
    [
      'more than SUBSCRIPTION_MAX_IDS',
      [APPROVED, IN_REVIEW, UNKNOWN],
      {
        ...NOT_GUIDS,
        message: 'At most 2 customer ids may be watched at once.',
      },
    ],
  ])('refuses %s: BAD_USER_INPUT, and nothing is read', async (_name, ids, error) => {
    const running = await gateway({ env: { SUBSCRIPTION_MAX_IDS: '2' } });
    const raw = await connected(running);
    raw.send(subscribeMessage('1', WATCH, { ids }));
    await raw.next((message) => message['type'] === 'complete');

    expect(of(raw, '1')).toEqual([
      { id: '1', type: 'next', payload: { errors: [error] } },
      { id: '1', type: 'complete' },
    ]);
    expect(running.simulator.requests).toEqual([]);
    // The connection carries on.
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
  });

  it.each([
    ['null', null, 'Variable "$ids" of non-null type "[ID!]!" must not be null.'],
    [
      'a list with null',
      [APPROVED, null],
      'Variable "$ids" got invalid value null at "ids[1]"; Expected non-nullable type "ID!" not to be null.',
    ],
    [
      'an object',
      { id: 'x' },
      'Variable "$ids" got invalid value { id: "x" }; ID cannot represent value: { id: "x" }',
    ],
  ])(
    'refuses ids that are %s before the subscription runs: BAD_USER_INPUT',
    async (_name, ids, message) => {
      const running = await gateway();
      const raw = await connected(running);
      raw.send(subscribeMessage('1', WATCH, { ids }));
      const error = await raw.next((message) => message['type'] === 'error');

      expect(error).toEqual({
        id: '1',
        type: 'error',
        payload: [
          {
            message,
            locations: [{ line: 2, column: 17 }],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      });
      expect(of(raw, '1')).toEqual([error]);
      expect(running.simulator.requests).toEqual([]);
    },
  );

  it('folds duplicates (ids in any case): one first event per distinct customer, one read each', async () => {
    const running = await gateway();
    const raw = await connected(running);
    raw.send(
      subscribeMessage('1', WATCH, {
        ids: [APPROVED, APPROVED.toUpperCase(), IN_REVIEW, IN_REVIEW],
      }),
    );
    await until(() => of(raw, '1').length === 2);

    expect(new Set(of(raw, '1'))).toEqual(
      new Set([
        { id: '1', type: 'next', payload: { data: event(APPROVED, true, ['APPROVED']) } },
        { id: '1', type: 'next', payload: { data: event(IN_REVIEW, true, ['IN_REVIEW']) } },
      ]),
    );
    expect([readsOf(running, APPROVED), readsOf(running, IN_REVIEW)]).toEqual([1, 1]);
  });

  it('emits a customer Partner Center does not know once, with knownToPartnerCenter false, however often it is read', async () => {
    const running = await gateway({ env: POLL_EVERY_SECOND });
    const raw = await connected(running);
    raw.send(subscribeMessage('1', WATCH, { ids: [UNKNOWN] }));
    await raw.next((message) => message['type'] === 'next');

    // Unknown is watched at the in-review cadence: wait for two polls after the first look.
    await until(() => readsOf(running, UNKNOWN) >= 3);
    expect(of(raw, '1')).toEqual([
      { id: '1', type: 'next', payload: { data: event(UNKNOWN, false, []) } },
    ]);
  });

  it('emits a customer again once Partner Center knows it, with its qualifications', async () => {
    const running = await gateway({ env: POLL_EVERY_SECOND });
    // A customer Partner Center answers 404 for until it knows it (a tenant just being created).
    running.simulator.setFault(APPROVED, 'notFound');
    const raw = await connected(running);
    raw.send(subscribeMessage('1', WATCH, { ids: [APPROVED] }));
    await raw.next((message) => message['type'] === 'next');
    running.simulator.setFault(APPROVED, undefined);
    await until(() => of(raw, '1').length === 2);

    expect(of(raw, '1')).toEqual([
      { id: '1', type: 'next', payload: { data: event(APPROVED, false, []) } },
      { id: '1', type: 'next', payload: { data: event(APPROVED, true, ['APPROVED']) } },
    ]);
  });

  it('watches nothing for an empty list: no event and no read, and the connection carries on', async () => {
    const running = await gateway();
    const raw = await connected(running);
    raw.send(subscribeMessage('empty', WATCH, { ids: [] }));
    raw.send(subscribeMessage('one', WATCH, { ids: [APPROVED] }));
    await raw.next((message) => message['id'] === 'one');

    expect(of(raw, 'empty')).toEqual([]);
    expect(running.simulator.requests.map((request) => request.path)).toEqual([
      `/v1/customers/${APPROVED}/qualifications`,
    ]);
  });
});

describe('graphql-ws: operations other than a valid subscription', () => {
  it.each([
    [
      'a query',
      `query { customer(id: "${APPROVED}") { id } }`,
      {
        message: 'Only subscriptions are served here; send queries and mutations to POST /graphql.',
        extensions: { code: 'BAD_REQUEST' },
      },
    ],
    [
      'a document that does not parse',
      'subscription {',
      {
        message: 'Syntax Error: Expected Name, found <EOF>.',
        locations: [{ line: 1, column: 15 }],
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      },
    ],
    [
      'a field that does not exist',
      'subscription { customerQualificationsChanged(ids: []) { nope } }',
      {
        message: 'Cannot query field "nope" on type "Customer".',
        locations: [{ line: 1, column: 57 }],
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    ],
  ])('answers %s with an error message, reading nothing', async (_name, query, error) => {
    const running = await gateway();
    const raw = await connected(running);
    raw.send({ id: '1', type: 'subscribe', payload: { query } });
    await raw.next((message) => message['id'] === '1');

    expect(of(raw, '1')).toEqual([{ id: '1', type: 'error', payload: [error] }]);
    expect(running.simulator.requests).toEqual([]);
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
  });
});
