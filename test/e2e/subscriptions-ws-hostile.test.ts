import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { until } from '../helpers/cache.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';
import {
  openSocket,
  subscribeMessage,
  watch,
  wsClient,
  type RawSocket,
  type Watcher,
} from '../helpers/ws-socket.js';

/**
 * Frames a graphql-ws client never sends, each on a socket of its own: each is refused with the
 * close code graphql-ws (or ws, for a frame too large) gives it, only that socket ends, and a
 * healthy connection beside them keeps receiving its events.
 */

const APPROVED = SAMPLE_CUSTOMER_IDS.educationApproved;
const NONE = SAMPLE_CUSTOMER_IDS.noQualifications;
/** Only refused frames name it: nothing may ever read it. */
const UNTOUCHED = SAMPLE_CUSTOMER_IDS.educationDenied;
const TOKEN = 'Bearer e2e-token';
/** The default `BODY_LIMIT_BYTES`, which bounds a frame as it bounds an HTTP body. */
const BODY_LIMIT_BYTES = 256 * 1024;
const WATCH = /* GraphQL */ `
  subscription ($ids: [ID!]!) {
    customerQualificationsChanged(ids: $ids) {
      id
      qualifications {
        qualification
        vettingStatus
      }
    }
  }
`;

interface Event {
  readonly customerQualificationsChanged: {
    readonly id: string;
    readonly qualifications: { qualification: string; vettingStatus: string | null }[];
  };
}

let running: RunningGateway;
let healthyClient: Client;
let healthy: Watcher<Event>;
const sockets: RawSocket[] = [];

beforeAll(async () => {
  // Every poll reaches Partner Center, once a second: the healthy watcher sees a change soon.
  running = await startGateway({
    env: { CACHE_ENABLED: 'false', WATCH_POLL_SECONDS: '1', WATCH_POLL_IN_REVIEW_SECONDS: '1' },
  });
  healthyClient = wsClient(running, { authorization: TOKEN });
  healthy = watch<Event>(healthyClient, WATCH, { ids: [NONE] });
  await until(() => healthy.results.length === 1);
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  healthy.dispose();
  await healthyClient.dispose();
  await running.close();
});

async function socket(): Promise<RawSocket> {
  const opened = await openSocket(running);
  sockets.push(opened);
  return opened;
}

/** What the gateway logged of refused frames (level, reason, message). */
function refusals(): Record<string, unknown>[] {
  return running.logs
    .entries()
    .filter((entry) => entry['msg'] === 'websocket frame refused')
    .map(({ level, reason, msg }) => ({ level, reason, msg }));
}

/** Partner Center calls about one customer. */
function upstreamFor(id: string): unknown[] {
  return running.simulator.requests.filter((request) => request.path.includes(id));
}

describe('hostile graphql-ws frames end only their own socket', () => {
  it('a text frame that is not JSON: 4400', async () => {
    const raw = await socket();
    raw.send('this is not { json');
    expect(await raw.closed).toEqual({ code: 4400, reason: 'Invalid message received' });
  });

  it('a message of a type graphql-ws does not have: 4400', async () => {
    const raw = await socket();
    await raw.init({ authorization: TOKEN });
    raw.send({ type: 'start', id: '1', payload: { query: WATCH } });
    expect(await raw.closed).toEqual({ code: 4400, reason: 'Invalid message received' });
    expect(raw.messages).toEqual([{ type: 'connection_ack' }]);
  });

  it('JSON that is not a message (no type, an array, a number): 4400', async () => {
    for (const frame of ['{"id":"1"}', '[]', '42', 'null']) {
      const raw = await socket();
      raw.send(frame);
      expect(await raw.closed).toEqual({ code: 4400, reason: 'Invalid message received' });
    }
  });

  it('a subscribe before connection_init: 4401, nothing read', async () => {
    const raw = await socket();
    raw.send(subscribeMessage('1', WATCH, { ids: [UNTOUCHED] }));
    expect(await raw.closed).toEqual({ code: 4401, reason: 'Unauthorized' });
    expect(raw.messages).toEqual([]);
    expect(upstreamFor(UNTOUCHED)).toEqual([]);
  });

  it('a second connection_init: 4429', async () => {
    const raw = await socket();
    await raw.init({ authorization: TOKEN });
    raw.send({ type: 'connection_init', payload: { authorization: TOKEN } });
    expect(await raw.closed).toEqual({ code: 4429, reason: 'Too many initialisation requests' });
  });

  it('a subscribe reusing the id of a running subscription: 4409, and the first one ends', async () => {
    const raw = await socket();
    await raw.init({ authorization: TOKEN });
    raw.send(subscribeMessage('1', WATCH, { ids: [APPROVED] }));
    await raw.next((message) => message['type'] === 'next');
    raw.send(subscribeMessage('1', WATCH, { ids: [APPROVED] }));

    expect(await raw.closed).toEqual({ code: 4409, reason: 'Subscriber for 1 already exists' });
    expect(raw.messages).toEqual([
      { type: 'connection_ack' },
      {
        id: '1',
        type: 'next',
        payload: {
          data: {
            customerQualificationsChanged: {
              id: APPROVED,
              qualifications: [{ qualification: 'EDUCATION', vettingStatus: 'APPROVED' }],
            },
          },
        },
      },
    ]);
    // The socket's close ended its subscription: only the healthy one is left.
    await until(async () => (await metric('pcgw_subscriptions_open')) === 1);
  });

  it(`a frame over BODY_LIMIT_BYTES (${String(BODY_LIMIT_BYTES)}): 1009 from ws, before it is read`, async () => {
    const raw = await socket();
    await raw.init({ authorization: TOKEN });
    raw.send(
      subscribeMessage('1', `${WATCH}#${'x'.repeat(BODY_LIMIT_BYTES)}`, { ids: [UNTOUCHED] }),
    );
    expect(await raw.closed).toEqual({ code: 1009, reason: '' });
    expect(raw.messages).toEqual([{ type: 'connection_ack' }]);
    expect(upstreamFor(UNTOUCHED)).toEqual([]);
    // Logged once, by reason, through the logger (not graphql-ws's stack trace on stderr).
    await until(() => refusals().length === 1);
    expect(refusals()).toEqual([
      { level: 30, reason: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', msg: 'websocket frame refused' },
    ]);
  });

  it('a text frame that is not UTF-8: 1007 from ws', async () => {
    const raw = await socket();
    await raw.init({ authorization: TOKEN });
    raw.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect(await raw.closed).toEqual({ code: 1007, reason: '' });
    await until(() => refusals().length === 2);
    expect(refusals()[1]).toEqual({
      level: 30,
      reason: 'WS_ERR_INVALID_UTF8',
      msg: 'websocket frame refused',
    });
  });

  it('a binary frame that is not a message: 4400 (graphql-ws reads a binary frame as text)', async () => {
    const raw = await socket();
    await raw.init({ authorization: TOKEN });
    raw.socket.send(Buffer.from([0xff, 0x00, 0x81, 0x7b]), { binary: true });
    expect(await raw.closed).toEqual({ code: 4400, reason: 'Invalid message received' });
  });

  it('a binary frame holding a message is read as its text, as graphql-ws reads every frame', async () => {
    const raw = await socket();
    await raw.init({ authorization: TOKEN });
    raw.socket.send(Buffer.from(JSON.stringify({ type: 'ping' })), { binary: true });
    await raw.next((message) => message['type'] === 'pong');
    expect(raw.messages).toEqual([{ type: 'connection_ack' }, { type: 'pong' }]);
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
  });

  it('meanwhile the healthy connection stayed open and still gets its events', async () => {
    expect(healthy.errors).toEqual([]);
    const response = await fetch(
      new URL(`/_simulator/customers/${NONE}/qualifications`, running.simulator.url),
      { method: 'POST', body: JSON.stringify({ qualification: 'StateOwnedEntity' }) },
    );
    expect(response.status).toBe(201);

    await until(() => healthy.results.length === 2);
    expect(healthy.results).toEqual([
      { data: { customerQualificationsChanged: { id: NONE, qualifications: [] } } },
      {
        data: {
          customerQualificationsChanged: {
            id: NONE,
            qualifications: [{ qualification: 'STATE_OWNED_ENTITY', vettingStatus: null }],
          },
        },
      },
    ]);
    expect(healthy.errors).toEqual([]);
    expect(healthy.completed).toBe(false);
  });
});

async function metric(name: string): Promise<number | undefined> {
  const text = await (await fetch(`${running.origin}/metrics`)).text();
  return sampleValue(parsePrometheus(text), name);
}
