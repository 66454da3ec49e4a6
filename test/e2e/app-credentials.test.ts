import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import {
  clientCertificatePem,
  startFakeAuthority,
  type FakeAuthority,
} from '../helpers/fake-authority.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';
import { CUSTOMER_ID } from '../helpers/operations.js';

const ROUTER_SECRET = 'router-secret-0123456789abcdef';
const CLIENT_SECRET = 'client-secret-value-do-not-log';
const TENANT = '11111111-2222-4333-8444-555555555555';
const A = SAMPLE_CUSTOMER_IDS.educationApproved;

let authority: FakeAuthority;
let running: RunningGateway | undefined;

beforeAll(async () => {
  authority = await startFakeAuthority();
});
afterAll(() => authority.close());
beforeEach(() => {
  authority.tokenRequests.length = 0;
  authority.mode = 'ok';
  authority.expiresIn = 3600;
});
afterEach(async () => {
  await running?.close();
  running = undefined;
});

function appEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PARTNER_CENTER_AUTH: 'app',
    AZURE_AUTHORITY_HOST: authority.url.href,
    AZURE_TENANT_ID: TENANT,
    AZURE_CLIENT_ID: 'gateway-app',
    AZURE_CLIENT_SECRET: CLIENT_SECRET,
    ROUTER_SECRET,
    ...extra,
  };
}

async function start(extra: Record<string, string> = {}) {
  running = await startGateway({ env: appEnv(extra), identityDispatcher: authority.dispatcher });
  return running;
}

const fromRouter = { 'router-authorization': ROUTER_SECRET };

describe('app-only credentials', () => {
  it('calls Partner Center with the gateway app token, never the caller one', async () => {
    const gateway = await start();

    const response = await postGraphQL(
      gateway.graphqlUrl,
      CUSTOMER_ID,
      { id: A },
      {
        ...fromRouter,
        authorization: 'Bearer caller-token',
      },
    );

    expect(response.body).toEqual({ data: { customer: { id: A } } });
    // Every caller sees the same answer with the gateway's own identity: shareable.
    expect(response.headers.get('cache-control')).toBe('max-age=300, public');
    expect(gateway.simulator.requests.map((r) => r.headers['authorization'])).toEqual([
      'Bearer app-token-1',
    ]);
    const [request] = authority.tokenRequests;
    expect(request?.tenant).toBe(TENANT);
    expect(Object.fromEntries(request?.form ?? [])).toMatchObject({
      grant_type: 'client_credentials',
      client_id: 'gateway-app',
      client_secret: CLIENT_SECRET,
      scope: 'https://api.partnercenter.microsoft.com/.default',
    });
  });

  it('reads the customer directory with the gateway app token', async () => {
    const gateway = await start();

    const response = await postGraphQL(
      gateway.graphqlUrl,
      /* GraphQL */ `
        {
          customerDirectory(first: 2) {
            edges {
              node {
                id
                companyName
              }
            }
          }
        }
      `,
      {},
      { ...fromRouter, authorization: 'Bearer caller-token' },
    );

    expect(response.body).toEqual({
      data: {
        customerDirectory: {
          edges: [
            { node: { id: A, companyName: 'Contoso University' } },
            {
              node: {
                id: SAMPLE_CUSTOMER_IDS.educationInReview,
                companyName: 'Fabrikam School District',
              },
            },
          ],
        },
      },
    });
    expect(gateway.simulator.requests.map((r) => [r.path, r.headers['authorization']])).toEqual([
      ['/v1/customers?size=100', 'Bearer app-token-1'],
    ]);
  });

  it('asks for one token for many concurrent operations', async () => {
    const gateway = await start();

    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        postGraphQL(
          gateway.graphqlUrl,
          CUSTOMER_ID,
          { id: `c0000000-0000-4000-8000-${String(n).padStart(12, '0')}` },
          fromRouter,
        ),
      ),
    );

    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(authority.tokenRequests).toHaveLength(1);
    expect(gateway.simulator.stats.reads).toBe(20);
  });

  it('renews an expiring token once', async () => {
    // MSAL renews tokens within five minutes of expiry: this one is due after about a second.
    authority.expiresIn = 301;
    // Both reads must reach Partner Center, each with the token current at the time.
    const gateway = await start({ CACHE_ENABLED: 'false' });

    await postGraphQL(gateway.graphqlUrl, CUSTOMER_ID, { id: A }, fromRouter);
    // The renewed token lasts: a slow machine cannot turn this into a third request.
    authority.expiresIn = 3600;
    // MSAL counts whole seconds: wait well past the one-second window.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await Promise.all(
      [1, 2, 3].map(() => postGraphQL(gateway.graphqlUrl, CUSTOMER_ID, { id: A }, fromRouter)),
    );

    expect(authority.tokenRequests).toHaveLength(2);
    expect(gateway.simulator.requests.at(-1)?.headers['authorization']).toBe('Bearer app-token-2');
  });

  it('answers UPSTREAM_UNAVAILABLE and is not ready while the authority fails, then recovers', async () => {
    authority.mode = 'error';
    const gateway = await start();

    const failed = await postGraphQL(gateway.graphqlUrl, CUSTOMER_ID, { id: A }, fromRouter);
    const notReady = await fetch(`${gateway.origin}/readyz`);

    expect((failed.body['errors'] as { extensions: unknown }[])[0]?.extensions).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      customerId: A,
    });
    expect(gateway.simulator.stats.reads).toBe(0);
    expect([notReady.status, await notReady.json()]).toEqual([
      503,
      { status: 'not ready', problems: ['no Partner Center app token'] },
    ]);

    authority.mode = 'ok';
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const ready = await fetch(`${gateway.origin}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('stays ready but degraded when the authority fails after the first token', async () => {
    // MSAL renews tokens within five minutes of expiry: this one is due after about a second.
    authority.expiresIn = 301;
    const gateway = await start();
    const first = await fetch(`${gateway.origin}/readyz`);

    authority.mode = 'error';
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const later = await fetch(`${gateway.origin}/readyz`);
    const metrics = await (await fetch(`${gateway.origin}/metrics`)).text();

    expect([first.status, await first.json()]).toEqual([200, { status: 'ready' }]);
    expect([later.status, await later.json()]).toEqual([
      200,
      {
        status: 'ready',
        degraded: ['no Partner Center app token (the last one was had earlier)'],
      },
    ]);
    expect(metrics).toContain('pcgw_degraded{reason="app_token_unavailable"} 1');
  });

  it('answers UNAUTHENTICATED when the authority refuses the app credentials', async () => {
    authority.mode = 'refuse';
    const gateway = await start();

    const response = await postGraphQL(gateway.graphqlUrl, CUSTOMER_ID, { id: A }, fromRouter);

    expect(response.body['errors']).toEqual([
      {
        message: 'The gateway could not sign in to Partner Center with its app credentials.',
        locations: [{ line: 3, column: 5 }],
        path: ['customer'],
        extensions: { code: 'UNAUTHENTICATED', customerId: A },
      },
    ]);
  });

  it('signs in with a client certificate (a signed client assertion, no secret)', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'pcgw-cert-'));
    try {
      const path = join(folder, 'client.pem');
      await writeFile(path, await clientCertificatePem());
      running = await startGateway({
        env: { ...appEnv(), AZURE_CLIENT_SECRET: '', AZURE_CLIENT_CERTIFICATE_PATH: path },
        identityDispatcher: authority.dispatcher,
      });

      const response = await postGraphQL(running.graphqlUrl, CUSTOMER_ID, { id: A }, fromRouter);

      expect(response.body).toEqual({ data: { customer: { id: A } } });
      const form = Object.fromEntries(authority.tokenRequests[0]?.form ?? []);
      expect(form['client_assertion_type']).toBe(
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      );
      expect(form['client_assertion']?.split('.')).toHaveLength(3);
      expect(form).not.toHaveProperty('client_secret');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('refuses a write: Partner Center accepts those with App+User credentials only', async () => {
    const gateway = await start();

    const response = await postGraphQL(
      gateway.graphqlUrl,
      /* GraphQL */ `
        mutation {
          addCustomerQualification(input: { customerId: "${A}", qualification: STATE_OWNED_ENTITY }) {
            errors { code }
          }
        }
      `,
      {},
      fromRouter,
    );

    expect((response.body['errors'] as { extensions: unknown }[])[0]?.extensions).toEqual({
      code: 'FORBIDDEN',
      customerId: A,
    });
    expect(gateway.simulator.stats.writes).toBe(0);
  });
});

describe('inbound authentication', () => {
  it.each([
    ['no credentials', {}],
    ['a wrong router secret', { 'router-authorization': 'router-secret-0123456789abcdeX' }],
    ['a Partner Center token instead', { authorization: 'Bearer caller-token' }],
  ])('refuses %s with 401 before any upstream or token call', async (_label, headers) => {
    const gateway = await start();

    const response = await postGraphQL(gateway.graphqlUrl, CUSTOMER_ID, { id: A }, headers);

    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      errors: [
        {
          message: 'This gateway needs valid credentials of its own callers.',
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
    expect(gateway.simulator.stats.reads).toBe(0);
  });

  it('applies to what never reaches Partner Center too (_service, __typename)', async () => {
    const gateway = await start();

    const refused = await postGraphQL(gateway.graphqlUrl, '{ _service { sdl } }', {}, {});
    const allowed = await postGraphQL(gateway.graphqlUrl, '{ __typename }', {}, fromRouter);

    expect([refused.status, refused.body]).toEqual([
      401,
      {
        errors: [
          {
            message: 'This gateway needs valid credentials of its own callers.',
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      },
    ]);
    expect([allowed.status, allowed.body]).toEqual([200, { data: { __typename: 'Query' } }]);
  });

  describe('caller JWTs', () => {
    const ISSUER = 'https://issuer.example.com/';
    const AUDIENCE = 'api://qualifications-gateway';

    async function startWithJwt() {
      return start({
        ROUTER_SECRET: '',
        INBOUND_JWKS_URL: authority.jwksUrl.href,
        INBOUND_JWT_ISSUER: ISSUER,
        INBOUND_JWT_AUDIENCE: AUDIENCE,
      });
    }

    it('accepts a valid token', async () => {
      const gateway = await startWithJwt();
      const token = await authority.sign({ iss: ISSUER, aud: AUDIENCE });

      const response = await postGraphQL(
        gateway.graphqlUrl,
        CUSTOMER_ID,
        { id: A },
        { authorization: `Bearer ${token}` },
      );

      expect(response.body).toEqual({ data: { customer: { id: A } } });
      expect(gateway.simulator.requests[0]?.headers['authorization']).toBe('Bearer app-token-1');
    });

    it.each([
      ['expired', { iss: ISSUER, aud: AUDIENCE, expiresIn: '-1m' }],
      ['for another audience', { iss: ISSUER, aud: 'api://someone-else' }],
      ['from another issuer', { iss: 'https://evil.example.com/', aud: AUDIENCE }],
      ['signed with another key', { iss: ISSUER, aud: AUDIENCE, otherKey: true }],
    ])('refuses a token %s', async (_label, claims) => {
      const gateway = await startWithJwt();
      const token = await authority.sign(claims);

      const response = await postGraphQL(
        gateway.graphqlUrl,
        CUSTOMER_ID,
        { id: A },
        { authorization: `Bearer ${token}` },
      );

      expect(response.status).toBe(401);
      expect(gateway.simulator.stats.reads).toBe(0);
    });

    it('refuses a request without a token', async () => {
      const gateway = await startWithJwt();

      const response = await postGraphQL(gateway.graphqlUrl, CUSTOMER_ID, { id: A }, {});

      expect(response.status).toBe(401);
    });
  });
});

describe('secrets', () => {
  it('never appear in the logs', async () => {
    const gateway = await start();
    await postGraphQL(gateway.graphqlUrl, CUSTOMER_ID, { id: A }, fromRouter);
    await postGraphQL(
      gateway.graphqlUrl,
      CUSTOMER_ID,
      { id: A },
      { 'router-authorization': 'wrong-secret-0123456789' },
    );

    const logs = gateway.logs.lines.join('\n');
    for (const secret of [CLIENT_SECRET, ROUTER_SECRET, 'app-token-1', 'wrong-secret-0123456789']) {
      expect(logs).not.toContain(secret);
    }
  });
});
