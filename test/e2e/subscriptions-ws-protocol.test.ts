import type { IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { until } from '../helpers/cache.js';
import { startGateway, type RunningGateway, type StartOptions } from '../helpers/gateway.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';
import { openSocket, type RawSocket } from '../helpers/ws-socket.js';

/**
 * The graphql-ws protocol's lifecycle as the gateway serves it on `/graphql`, frame by frame: the
 * wait for `connection_init` and keepalive (both made short here through the gateway's deps), and
 * the close at shutdown.
 */

const TOKEN = 'Bearer e2e-token';
const APPROVED = SAMPLE_CUSTOMER_IDS.educationApproved;

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
async function socket(
  running: RunningGateway,
  options: Parameters<typeof openSocket>[1] = {},
): Promise<RawSocket> {
  const opened = await openSocket(running, options);
  sockets.push(opened);
  return opened;
}

describe('graphql-ws on /graphql: connection lifecycle', () => {
  it('closes a socket that sends no connection_init in time with 4408, reading nothing', async () => {
    const running = await gateway({ subscriptionInitWaitMs: 200 });
    const raw = await socket(running);

    expect(await raw.closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
    expect(raw.messages).toEqual([]);
    expect(running.simulator.requests).toEqual([]);
  });

  it('keeps a socket that sent connection_init in time, pinging it (ping frames, which ws answers), and answers a graphql-ws ping message with pong', async () => {
    // Waits long enough for a loaded machine to send connection_init and answer each ping in time.
    const running = await gateway({ subscriptionInitWaitMs: 1000, subscriptionPingMs: 1500 });
    const raw = await socket(running);
    await raw.init({ authorization: TOKEN });

    // Two pings are three init waits later: still open, and answered pings keep it so.
    await until(() => raw.pings() >= 2);
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
    raw.send({ type: 'ping', payload: { sent: 'by the client' } });
    raw.send({ type: 'ping' });
    await until(() => raw.messages.length === 3);

    expect(raw.messages).toEqual([
      { type: 'connection_ack' },
      { type: 'pong', payload: { sent: 'by the client' } },
      { type: 'pong' },
    ]);
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
    expect(running.simulator.requests).toEqual([]);
  });

  it('closes a socket that answers no ping', async () => {
    const running = await gateway({ subscriptionPingMs: 50 });
    // A client whose pongs never come (a half-open connection looks so to the server).
    const raw = await socket(running, { autoPong: false });
    await raw.init({ authorization: TOKEN });

    // Terminated, not closed: no close frame, so the client sees 1006.
    expect((await raw.closed).code).toBe(1006);
  });

  it('refuses a socket without graphql-transport-ws (4406, or no subprotocol selected), and answers 404 off /graphql', async () => {
    const running = await gateway();
    // No subprotocol: the socket opens, and graphql-ws closes it.
    const none = new WebSocket(running.graphqlUrl.replace(/^http/, 'ws'));
    const [code, reason] = (await once(none, 'close')) as [number, Buffer];
    expect({ code, reason: reason.toString() }).toEqual({
      code: 4406,
      reason: 'Subprotocol not acceptable',
    });
    // subscriptions-transport-ws's legacy one: the handshake selects none, so the client gives up.
    const legacy = new WebSocket(running.graphqlUrl.replace(/^http/, 'ws'), ['graphql-ws']);
    const [error] = (await once(legacy, 'close').catch((failed: unknown) => [failed])) as [unknown];
    expect(error).toEqual(new Error('Server sent no subprotocol'));
    const elsewhere = new WebSocket(`${running.origin.replace(/^http/, 'ws')}/subscriptions`, [
      'graphql-transport-ws',
    ]);
    elsewhere.on('error', () => undefined);
    const [, response] = (await once(elsewhere, 'unexpected-response')) as [
      unknown,
      IncomingMessage,
    ];
    expect(response.statusCode).toBe(404);
    response.resume();
    expect(running.simulator.requests).toEqual([]);
  });

  it('closes every socket with 1001 when the gateway drains for shutdown, ending its subscriptions', async () => {
    const running = await gateway();
    const raw = await socket(running);
    await raw.init({ authorization: TOKEN });
    raw.send({
      id: '1',
      type: 'subscribe',
      payload: {
        query: 'subscription ($ids: [ID!]!) { customerQualificationsChanged(ids: $ids) { id } }',
        variables: { ids: [APPROVED] },
      },
    });
    await raw.next((message) => message['type'] === 'next');
    const idle = await socket(running);

    const drained = running.gateway.drain(100);

    expect(await raw.closed).toEqual({ code: 1001, reason: 'Going away' });
    // One that never sent connection_init is closed the same way.
    expect(await idle.closed).toEqual({ code: 1001, reason: 'Going away' });
    expect(raw.messages).toEqual([
      { type: 'connection_ack' },
      {
        id: '1',
        type: 'next',
        payload: { data: { customerQualificationsChanged: { id: APPROVED } } },
      },
    ]);
    await drained;
    expect(running.gateway.subscriptionConnections()).toBe(0);
    await until(async () => (await metric(running, 'pcgw_subscriptions_open')) === 0);
  });
});

/** Through Fastify's inject: a drained gateway no longer listens. */
async function metric(running: RunningGateway, name: string): Promise<number | undefined> {
  const response = await running.gateway.app.inject({ method: 'GET', url: '/metrics' });
  return sampleValue(parsePrometheus(response.body), name);
}
