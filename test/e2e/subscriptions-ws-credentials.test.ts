import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { startFakeAuthority, type FakeAuthority } from '../helpers/fake-authority.js';
import { startGateway, type RunningGateway, type StartOptions } from '../helpers/gateway.js';
import { openSocket, subscribeMessage, type RawSocket } from '../helpers/ws-socket.js';
import { WATCH, watchEvent } from '../helpers/subscription-clients.js';

/**
 * Who may open a graphql-ws connection: the HTTP rules, with the credentials on the upgrade
 * request or in `connection_init`. A refusal is a close with 4403 at `connection_init`, before
 * anything reaches Partner Center.
 */

const APPROVED = SAMPLE_CUSTOMER_IDS.educationApproved;
const ROUTER_SECRET = 'router-secret-0123456789abcdef';
const ISSUER = 'https://login.example.com/tenant/v2.0';
const AUDIENCE = 'api://qualifications-gateway';
const FIRST_EVENT = { id: '1', type: 'next', payload: watchEvent(APPROVED, 'APPROVED') };
const FORBIDDEN = { code: 4403, reason: 'Forbidden' };

let authority: FakeAuthority;
const started: RunningGateway[] = [];
const sockets: RawSocket[] = [];
beforeAll(async () => {
  authority = await startFakeAuthority();
});
afterAll(() => authority.close());
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await Promise.all(started.splice(0).map((running) => running.close()));
});

async function gateway(
  env: Record<string, string> = {},
  now?: () => number,
): Promise<RunningGateway> {
  const options: StartOptions = {
    env,
    identityDispatcher: authority.dispatcher,
    ...(now === undefined ? {} : { now }),
  };
  const running = await startGateway(options);
  started.push(running);
  return running;
}

/** Connects, sends `connection_init` with `payload`, and subscribes once acknowledged. */
async function subscribeWith(
  running: RunningGateway,
  payload: Record<string, unknown> | undefined,
  headers: Record<string, string> = {},
): Promise<RawSocket> {
  const raw = await openSocket(running, { headers });
  sockets.push(raw);
  raw.send(
    payload === undefined ? { type: 'connection_init' } : { type: 'connection_init', payload },
  );
  const first = await Promise.race([
    raw.next((message) => message['type'] === 'connection_ack'),
    raw.closed,
  ]);
  if ('type' in first) raw.send(subscribeMessage('1', WATCH, { ids: [APPROVED] }));
  return raw;
}

/** The Authorization every Partner Center call was made with. */
function upstreamAuthorizations(running: RunningGateway): unknown[] {
  return running.simulator.requests.map((request) => request.headers['authorization']);
}

describe('graphql-ws credentials in user mode: the caller token', () => {
  it.each([
    ['the upgrade request’s Authorization header', undefined, { authorization: 'Bearer header' }],
    ['connection_init Authorization', { Authorization: 'Bearer header' }, {}],
    ['connection_init authorization', { authorization: 'Bearer header' }, {}],
    ['connection_init token (Apollo Router)', { token: 'Bearer header' }, {}],
  ])('from %s: reads with it', async (_name, payload, headers) => {
    const running = await gateway();
    const raw = await subscribeWith(running, payload, headers);

    await raw.next((message) => message['type'] === 'next');
    expect(raw.messages).toEqual([{ type: 'connection_ack' }, FIRST_EVENT]);
    expect(upstreamAuthorizations(running)).toEqual(['Bearer header']);
  });

  it('takes the upgrade request’s header before connection_init, and Authorization before token', async () => {
    const running = await gateway();
    const byHeader = await subscribeWith(
      running,
      { authorization: 'Bearer from-init', token: 'Bearer from-token' },
      { authorization: 'Bearer from-upgrade' },
    );
    await byHeader.next((message) => message['type'] === 'next');
    const byKey = await subscribeWith(running, {
      token: 'Bearer from-token',
      authorization: 'Bearer from-init',
    });
    await byKey.next((message) => message['type'] === 'next');

    expect(upstreamAuthorizations(running)).toEqual(['Bearer from-upgrade', 'Bearer from-init']);
  });

  it.each([
    ['no payload', undefined],
    ['an empty payload', {}],
    ['an empty token', { authorization: '' }],
    ['a blank token', { authorization: '   ' }],
    ['a token that is not a string', { authorization: 42 }],
    ['a token under another key', { Token: 'Bearer header', bearer: 'Bearer header' }],
  ])('refuses %s at connection_init with 4403, reading nothing', async (_name, payload) => {
    const running = await gateway();
    const raw = await subscribeWith(running, payload);

    expect(await raw.closed).toEqual(FORBIDDEN);
    expect(raw.messages).toEqual([]);
    expect(running.simulator.requests).toEqual([]);
  });
});

describe('graphql-ws credentials with ROUTER_SECRET', () => {
  it.each([
    ['on the upgrade request', {}, { 'router-authorization': ROUTER_SECRET }],
    ['as connection_init Router-Authorization', { 'Router-Authorization': ROUTER_SECRET }, {}],
    ['as connection_init router-authorization', { 'router-authorization': ROUTER_SECRET }, {}],
  ])('lets the router in with the secret %s', async (_name, params, headers) => {
    const running = await gateway({ ROUTER_SECRET });
    const raw = await subscribeWith(
      running,
      { authorization: 'Bearer caller', ...params },
      headers,
    );

    await raw.next((message) => message['type'] === 'next');
    expect(raw.messages).toEqual([{ type: 'connection_ack' }, FIRST_EVENT]);
    // The secret is the router's: only the caller's token goes on to Partner Center.
    expect(upstreamAuthorizations(running)).toEqual(['Bearer caller']);
    expect(running.simulator.requests[0]?.headers['router-authorization']).toBeUndefined();
  });

  it.each([
    ['no secret', { authorization: 'Bearer caller' }, {}],
    [
      'a wrong secret',
      { authorization: 'Bearer caller', 'Router-Authorization': `${ROUTER_SECRET}x` },
      {},
    ],
    [
      'a wrong secret on the upgrade request before the right one in connection_init',
      { authorization: 'Bearer caller', 'Router-Authorization': ROUTER_SECRET },
      { 'router-authorization': 'not-the-secret' },
    ],
  ])('refuses %s with 4403, reading nothing', async (_name, params, headers) => {
    const running = await gateway({ ROUTER_SECRET });
    const raw = await subscribeWith(running, params, headers);

    expect(await raw.closed).toEqual(FORBIDDEN);
    expect(running.simulator.requests).toEqual([]);
  });
});

describe('graphql-ws credentials with the inbound JWT settings', () => {
  const jwtEnv = {
    INBOUND_JWKS_URL: '',
    INBOUND_JWT_ISSUER: ISSUER,
    INBOUND_JWT_AUDIENCE: AUDIENCE,
  };
  const start = () => gateway({ ...jwtEnv, INBOUND_JWKS_URL: authority.jwksUrl.href });

  it('lets in a caller whose JWT checks out, and reads with it', async () => {
    const running = await start();
    const token = await authority.sign({ iss: ISSUER, aud: AUDIENCE });
    const raw = await subscribeWith(running, { authorization: `Bearer ${token}` });

    await raw.next((message) => message['type'] === 'next');
    expect(raw.messages).toEqual([{ type: 'connection_ack' }, FIRST_EVENT]);
    expect(upstreamAuthorizations(running)).toEqual([`Bearer ${token}`]);
  });

  it.each([
    ['expired', { iss: ISSUER, aud: AUDIENCE, expiresIn: '-1m' }],
    ['for another audience', { iss: ISSUER, aud: 'api://someone-else' }],
    ['from another issuer', { iss: 'https://evil.example.com/', aud: AUDIENCE }],
    ['signed with another key', { iss: ISSUER, aud: AUDIENCE, otherKey: true }],
  ])('refuses a JWT %s with 4403, reading nothing', async (_name, claims) => {
    const running = await start();
    const token = await authority.sign(claims);
    const raw = await subscribeWith(running, { authorization: `Bearer ${token}` });

    expect(await raw.closed).toEqual(FORBIDDEN);
    expect(running.simulator.requests).toEqual([]);
    // The refusal is logged by its reason alone.
    expect(running.logs.entries().map((entry) => entry['msg'])).toContain('caller token refused');
    expect(running.logs.lines.join('\n')).not.toContain(token);
  });

  it('with ROUTER_SECRET too, either lets in; a plain token with neither is refused', async () => {
    const running = await gateway({
      ...jwtEnv,
      INBOUND_JWKS_URL: authority.jwksUrl.href,
      ROUTER_SECRET,
    });
    const token = await authority.sign({ iss: ISSUER, aud: AUDIENCE });
    const byJwt = await subscribeWith(running, { authorization: `Bearer ${token}` });
    await byJwt.next((message) => message['type'] === 'next');
    const byRouter = await subscribeWith(running, {
      authorization: 'Bearer caller',
      'Router-Authorization': ROUTER_SECRET,
    });
    await byRouter.next((message) => message['type'] === 'next');
    const neither = await subscribeWith(running, { authorization: 'Bearer caller' });

    expect(await neither.closed).toEqual(FORBIDDEN);
    expect(upstreamAuthorizations(running)).toEqual([`Bearer ${token}`, 'Bearer caller']);
  });
});

describe('graphql-ws credentials in app mode', () => {
  // Its tokens are numbered by request: each test's gateway gets app-token-1.
  beforeEach(() => {
    authority.tokenRequests.length = 0;
  });
  const appEnv = () => ({
    PARTNER_CENTER_AUTH: 'app',
    AZURE_AUTHORITY_HOST: authority.url.href,
    AZURE_TENANT_ID: '11111111-2222-4333-8444-555555555555',
    AZURE_CLIENT_ID: 'gateway-app',
    AZURE_CLIENT_SECRET: 'client-secret-value-do-not-log',
    ROUTER_SECRET,
    INBOUND_JWKS_URL: authority.jwksUrl.href,
    INBOUND_JWT_ISSUER: ISSUER,
    INBOUND_JWT_AUDIENCE: AUDIENCE,
  });
  /** A caller JWT, and its `exp` in epoch ms. */
  async function callerJwt(): Promise<{ token: string; expMs: number }> {
    const token = await authority.sign({ iss: ISSUER, aud: AUDIENCE, expiresIn: '1h' });
    return { token, expMs: (decodeJwt(token).exp ?? 0) * 1000 };
  }

  it('reads with the gateway’s own token, and ends a connection a caller JWT let in when its exp passes (4403)', async () => {
    const { token, expMs } = await callerJwt();
    // The gateway's clock stands 3 s before the JWT's exp: it runs out 3 s after connecting (long
    // enough for a loaded machine to serve the first event before).
    const running = await gateway(appEnv(), () => expMs - 3000);
    const raw = await subscribeWith(running, { authorization: `Bearer ${token}` });

    expect(await raw.closed).toEqual({ code: 4403, reason: 'Token expired' });
    expect(raw.messages).toEqual([{ type: 'connection_ack' }, FIRST_EVENT]);
    expect(upstreamAuthorizations(running)).toEqual(['Bearer app-token-1']);
  });

  it('refuses a caller JWT whose exp has passed by the gateway’s clock, reading nothing', async () => {
    const { token, expMs } = await callerJwt();
    const running = await gateway(appEnv(), () => expMs + 1);
    const raw = await subscribeWith(running, { authorization: `Bearer ${token}` });

    expect(await raw.closed).toEqual(FORBIDDEN);
    expect(running.simulator.requests).toEqual([]);
    expect(running.logs.lines.join('\n')).not.toContain(token);
  });

  it('lets the router in by its secret whatever the caller token says: the secret does not run out', async () => {
    const { token, expMs } = await callerJwt();
    const running = await gateway(appEnv(), () => expMs + 1);
    const raw = await subscribeWith(running, {
      token: `Bearer ${token}`,
      'Router-Authorization': ROUTER_SECRET,
    });

    await raw.next((message) => message['type'] === 'next');
    expect(raw.messages).toEqual([{ type: 'connection_ack' }, FIRST_EVENT]);
    expect(upstreamAuthorizations(running)).toEqual(['Bearer app-token-1']);
  });
});
