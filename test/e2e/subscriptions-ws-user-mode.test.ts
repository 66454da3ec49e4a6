import { createClient } from 'graphql-ws';
import { UnsecuredJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { until } from '../helpers/cache.js';
import { startGateway, type RunningGateway, type StartOptions } from '../helpers/gateway.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';
import { openSocket, subscribeMessage, wsUrl, type RawSocket } from '../helpers/ws-socket.js';
import { WATCH, watchEvent } from '../helpers/subscription-clients.js';

/**
 * User mode: the watch reads with the subscriber's own token, so the connection lasts only as
 * long as that token does. When Partner Center refuses it at a poll, or its `exp` passes, the
 * gateway closes with 4403, which graphql-ws clients retry with a fresh token.
 */

const APPROVED = SAMPLE_CUSTOMER_IDS.educationApproved;
const FIRST_EVENT = { id: '1', type: 'next', payload: watchEvent(APPROVED, 'APPROVED') };
/** Every poll reaches Partner Center, once a second. */
const POLL_EVERY_SECOND = {
  CACHE_ENABLED: 'false',
  WATCH_POLL_SECONDS: '1',
  WATCH_POLL_IN_REVIEW_SECONDS: '1',
};
/** A token's `exp` (epoch seconds), an hour from now: far from the real clock either way. */
const EXP = Math.floor(Date.now() / 1000) + 3600;

const started: RunningGateway[] = [];
const sockets: RawSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await Promise.all(started.splice(0).map((running) => running.close()));
});
async function gateway(options: StartOptions): Promise<RunningGateway> {
  const running = await startGateway(options);
  started.push(running);
  return running;
}

/** A caller token that says when it runs out; user mode reads `exp`, Partner Center checks it. */
function tokenExpiringAt(exp: number): string {
  return `Bearer ${new UnsecuredJWT({ sub: 'portal-user' }).setExpirationTime(exp).encode()}`;
}

async function subscribed(running: RunningGateway, authorization: string): Promise<RawSocket> {
  const raw = await openSocket(running);
  sockets.push(raw);
  await raw.init({ authorization });
  raw.send(subscribeMessage('1', WATCH, { ids: [APPROVED] }));
  await raw.next((message) => message['type'] === 'next');
  return raw;
}

async function metric(running: RunningGateway, name: string): Promise<number | undefined> {
  const text = await (await fetch(`${running.origin}/metrics`)).text();
  return sampleValue(parsePrometheus(text), name);
}

describe('graphql-ws in user mode: the subscriber’s own token', () => {
  it('closes with 4403 when Partner Center answers 401 to the token at a poll', async () => {
    const running = await gateway({ env: POLL_EVERY_SECOND });
    const raw = await subscribed(running, 'Bearer e2e-token');

    running.simulator.setFault(APPROVED, 'unauthorized');

    expect(await raw.closed).toEqual({ code: 4403, reason: 'Partner Center refused the token' });
    expect(raw.messages).toEqual([{ type: 'connection_ack' }, FIRST_EVENT]);
    await until(async () => (await metric(running, 'pcgw_subscriptions_open')) === 0);
    // The poll that was refused is the last call: the watch let go of the customer.
    expect(running.simulator.requests.at(-1)?.path).toBe(
      `/v1/customers/${APPROVED}/qualifications`,
    );
    await until(async () => (await metric(running, 'pcgw_watched_customers')) === 0);
  });

  it('closes with 4403 when the token’s exp passes while connected', async () => {
    // The gateway's clock stands 3 s before the token's exp: it runs out 3 s after connecting (long
    // enough for a loaded machine to serve the first event before).
    const running = await gateway({ now: () => EXP * 1000 - 3000 });
    const raw = await subscribed(running, tokenExpiringAt(EXP));

    expect(await raw.closed).toEqual({ code: 4403, reason: 'Token expired' });
    expect(raw.messages).toEqual([{ type: 'connection_ack' }, FIRST_EVENT]);
    await until(async () => (await metric(running, 'pcgw_subscriptions_open')) === 0);
  });

  it('refuses a token whose exp has passed at connection_init with 4403, reading nothing', async () => {
    const running = await gateway({ now: () => EXP * 1000 + 1 });
    const raw = await openSocket(running);
    sockets.push(raw);
    raw.send({ type: 'connection_init', payload: { authorization: tokenExpiringAt(EXP) } });

    expect(await raw.closed).toEqual({ code: 4403, reason: 'Forbidden' });
    expect(raw.messages).toEqual([]);
    expect(running.simulator.requests).toEqual([]);
  });

  it('keeps a connection whose token does not say when it runs out', async () => {
    const running = await gateway({ env: POLL_EVERY_SECOND, now: () => EXP * 1000 + 1 });
    const raw = await subscribed(running, 'Bearer opaque-token');

    // Polls keep reading with it (two after the first look), and the socket stays open.
    await until(() => running.simulator.requests.length >= 3);
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
    expect(new Set(running.simulator.requests.map((r) => r.headers['authorization']))).toEqual(
      new Set(['Bearer opaque-token']),
    );
  });

  it('a graphql-ws client closed with 4403 comes back with the fresh token connectionParams gives, and is served again', async () => {
    const running = await gateway({ now: () => EXP * 1000 - 3000 });
    // The first token runs out 3 s after connecting; the next lasts an hour longer.
    const tokens = [tokenExpiringAt(EXP), tokenExpiringAt(EXP + 3600)];
    const given: string[] = [];
    const closes: unknown[] = [];
    const client = createClient({
      url: wsUrl(running),
      webSocketImpl: WebSocket,
      connectionParams: () => {
        const authorization = tokens[given.length] ?? 'Bearer none-left';
        given.push(authorization);
        return { authorization };
      },
      retryAttempts: 1,
      on: { closed: (event) => closes.push((event as { code: number }).code) },
    });
    const events: unknown[] = [];
    const errors: unknown[] = [];
    const dispose = client.subscribe(
      { query: WATCH, variables: { ids: [APPROVED] } },
      {
        next: (result) => events.push(result),
        error: (error: unknown) => errors.push(error),
        complete: () => undefined,
      },
    );
    try {
      await until(() => events.length === 2);

      expect(closes).toEqual([4403]);
      expect(given).toEqual(tokens);
      // Each connection's first event: the customer as it is, read with that connection's token.
      expect(events).toEqual([FIRST_EVENT.payload, FIRST_EVENT.payload]);
      expect(running.simulator.requests.map((r) => r.headers['authorization'])).toEqual(tokens);
      expect(errors).toEqual([]);
    } finally {
      dispose();
      await client.dispose();
    }
  });
});
