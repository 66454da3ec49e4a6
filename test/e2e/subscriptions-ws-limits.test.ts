import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { until } from '../helpers/cache.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';
import { openSocket, subscribeMessage, type RawSocket } from '../helpers/ws-socket.js';

/**
 * `SUBSCRIPTIONS_PER_CONNECTION_MAX`: one subscription too many on a socket is refused on its own
 * (an `error` message, `BAD_REQUEST`), and the socket and its other subscriptions carry on.
 */

const NONE = SAMPLE_CUSTOMER_IDS.noQualifications;
const APPROVED = SAMPLE_CUSTOMER_IDS.educationApproved;
const DENIED = SAMPLE_CUSTOMER_IDS.educationDenied;
const TOKEN = 'Bearer e2e-token';
const WATCH = /* GraphQL */ `
  subscription ($ids: [ID!]!) {
    customerQualificationsChanged(ids: $ids) {
      id
      qualifications {
        qualification
      }
    }
  }
`;

const started: RunningGateway[] = [];
const sockets: RawSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await Promise.all(started.splice(0).map((running) => running.close()));
});

function of(raw: RawSocket, id: string): unknown[] {
  return raw.messages.filter(
    (message) => (message as Record<string, unknown> | null)?.['id'] === id,
  );
}
function next(id: string, customer: string, qualifications: string[]) {
  return {
    id,
    type: 'next',
    payload: {
      data: {
        customerQualificationsChanged: {
          id: customer,
          qualifications: qualifications.map((qualification) => ({ qualification })),
        },
      },
    },
  };
}
async function metric(running: RunningGateway, name: string): Promise<number | undefined> {
  const text = await (await fetch(`${running.origin}/metrics`)).text();
  return sampleValue(parsePrometheus(text), name);
}

describe('graphql-ws: SUBSCRIPTIONS_PER_CONNECTION_MAX', () => {
  it('refuses one more subscription with BAD_REQUEST; the others go on receiving, and a freed place is taken again', async () => {
    const running = await startGateway({
      env: {
        SUBSCRIPTIONS_PER_CONNECTION_MAX: '2',
        CACHE_ENABLED: 'false',
        WATCH_POLL_SECONDS: '1',
        WATCH_POLL_IN_REVIEW_SECONDS: '1',
      },
    });
    started.push(running);
    const raw = await openSocket(running);
    sockets.push(raw);
    await raw.init({ authorization: TOKEN });
    raw.send(subscribeMessage('a', WATCH, { ids: [NONE] }));
    raw.send(subscribeMessage('b', WATCH, { ids: [APPROVED] }));
    await until(() => of(raw, 'a').length === 1 && of(raw, 'b').length === 1);

    raw.send(subscribeMessage('c', WATCH, { ids: [DENIED] }));
    await raw.next((message) => message['id'] === 'c');

    expect(of(raw, 'c')).toEqual([
      {
        id: 'c',
        type: 'error',
        payload: [
          {
            message: 'At most 2 subscriptions per connection; end one first.',
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      },
    ]);
    // Refused before it ran: its customer was never read.
    expect(running.simulator.requests.filter((r) => r.path.includes(DENIED))).toEqual([]);
    expect(await metric(running, 'pcgw_subscriptions_open')).toBe(2);

    // The others carry on: a change made elsewhere reaches 'a' at its next poll.
    const changed = await fetch(
      new URL(`/_simulator/customers/${NONE}/qualifications`, running.simulator.url),
      { method: 'POST', body: JSON.stringify({ qualification: 'StateOwnedEntity' }) },
    );
    expect(changed.status).toBe(201);
    await until(() => of(raw, 'a').length === 2);
    expect(of(raw, 'a')).toEqual([next('a', NONE, []), next('a', NONE, ['STATE_OWNED_ENTITY'])]);
    expect(of(raw, 'b')).toEqual([next('b', APPROVED, ['EDUCATION'])]);

    // Ending one frees its place: the same id is taken now.
    raw.send({ id: 'b', type: 'complete' });
    await until(async () => (await metric(running, 'pcgw_subscriptions_open')) === 1);
    raw.send(subscribeMessage('c', WATCH, { ids: [DENIED] }));
    await until(() => of(raw, 'c').length === 2);
    expect(of(raw, 'c')[1]).toEqual(next('c', DENIED, ['EDUCATION']));
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
  });
});
