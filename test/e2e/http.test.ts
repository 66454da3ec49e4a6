import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_CUSTOMER_IDS, SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ONE = /* GraphQL */ `
  query One($id: ID!) {
    customer(id: $id) {
      id
    }
  }
`;

let running: RunningGateway;
beforeAll(async () => {
  running = await startGateway({ env: { UPSTREAM_TIMEOUT_MS: '300', BODY_LIMIT_BYTES: '2048' } });
});
afterAll(() => running.close());

function reset() {
  running.simulator.reset();
}

describe('headers', () => {
  it('forwards the token verbatim and one correlation id per operation, echoed to the client', async () => {
    reset();
    const correlationId = '0b7e6a9c-3f31-4b8e-9a57-2c1d2f5c8e10';

    const response = await postGraphQL(
      running.graphqlUrl,
      /* GraphQL */ `
        query Two($a: ID!, $b: ID!) {
          a: customer(id: $a) {
            id
          }
          b: customer(id: $b) {
            id
          }
        }
      `,
      { a: SAMPLE_CUSTOMER_IDS.educationApproved, b: SAMPLE_CUSTOMER_IDS.stateOwnedEntity },
      { authorization: 'Bearer user-token-123', 'ms-correlationid': correlationId },
    );

    expect(response.status).toBe(200);
    expect(response.headers.get('ms-correlationid')).toBe(correlationId);
    const seen = running.simulator.requests.map((request) => request.headers);
    expect(seen).toHaveLength(2);
    for (const headers of seen) {
      expect(headers['authorization']).toBe('Bearer user-token-123');
      expect(headers['accept']).toBe('application/json');
      expect(headers['ms-correlationid']).toBe(correlationId);
      expect(headers['ms-requestid']).toMatch(GUID);
    }
    expect(seen[0]?.['ms-requestid']).not.toBe(seen[1]?.['ms-requestid']);
  });

  it('makes up a correlation id when the client sends none and returns it', async () => {
    reset();

    const response = await postGraphQL(running.graphqlUrl, ONE, {
      id: SAMPLE_CUSTOMER_IDS.educationApproved,
    });

    const correlationId = response.headers.get('ms-correlationid');
    expect(correlationId).toMatch(GUID);
    expect(running.simulator.requests[0]?.headers['ms-correlationid']).toBe(correlationId);
  });

  it('answers 401 UNAUTHENTICATED without a token, before any upstream call', async () => {
    reset();

    const response = await postGraphQL(
      running.graphqlUrl,
      ONE,
      { id: SAMPLE_CUSTOMER_IDS.educationApproved },
      {},
    );

    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      errors: [
        {
          message: 'An Authorization header with a Partner Center bearer token is required.',
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
    expect(running.simulator.stats.reads).toBe(0);
  });
});

describe('without a Partner Center token', () => {
  it.each([
    ['__typename', '{ __typename }', { __typename: 'Query' }],
    [
      'introspection',
      '{ __schema { queryType { name } } }',
      { __schema: { queryType: { name: 'Query' } } },
    ],
  ])('answers %s, which never reaches Partner Center', async (_label, query, data) => {
    reset();

    const response = await postGraphQL(running.graphqlUrl, query, {}, {});

    expect([response.status, response.body]).toEqual([200, { data }]);
    expect(running.simulator.stats.reads).toBe(0);
  });

  it('answers _service { sdl } for composition tools', async () => {
    reset();

    const response = await postGraphQL(running.graphqlUrl, '{ _service { sdl } }', {}, {});

    expect(response.status).toBe(200);
    const sdl = (response.body as { data: { _service: { sdl: string } } }).data._service.sdl;
    expect(sdl).toContain('knownToPartnerCenter: Boolean\n');
  });

  it.each([
    ['a customer read', ONE, { id: SAMPLE_CUSTOMER_IDS.educationApproved }],
    [
      'a customer reference',
      '{ _entities(representations: [{ __typename: "Customer", id: "' +
        SAMPLE_CUSTOMER_IDS.educationApproved +
        '" }]) { __typename } }',
      {},
    ],
    ['the validation codes', '{ __typename gccValidationCodes { validationCode } }', {}],
    [
      'the validation codes in a fragment',
      'query { ...Codes } fragment Codes on Query { gccValidationCodes { validationCode } }',
      {},
    ],
    ['a directory page', '{ customerDirectory(first: 5) { edges { node { companyName } } } }', {}],
    [
      'a directory page of names only, whose size is out of bounds',
      '{ customerDirectory(first: 500) { totalCount } }',
      {},
    ],
    [
      'the mutation',
      `mutation { addCustomerQualification(input: { customerId: "${SAMPLE_CUSTOMER_IDS.educationApproved}", qualification: STATE_OWNED_ENTITY }) { errors { code } } }`,
      {},
    ],
  ])(
    'refuses %s with 401 UNAUTHENTICATED before any upstream call',
    async (_label, query, variables) => {
      reset();

      const response = await postGraphQL(running.graphqlUrl, query, variables, {});

      expect([response.status, response.body]).toEqual([
        401,
        {
          errors: [
            {
              message: 'An Authorization header with a Partner Center bearer token is required.',
              extensions: { code: 'UNAUTHENTICATED' },
            },
          ],
        },
      ]);
      expect(running.simulator.requests).toEqual([]);
    },
  );
});

describe('HTTP protection', () => {
  it('refuses a GET query without a preflight header (CSRF prevention)', async () => {
    reset();
    const url = `${running.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`;

    const blocked = await fetch(url, { headers: { authorization: 'Bearer t' } });
    const allowed = await fetch(url, {
      headers: { authorization: 'Bearer t', 'apollo-require-preflight': 'true' },
    });

    expect(blocked.status).toBe(400);
    expect(await blocked.text()).toContain('CSRF');
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses a simple-request POST (text/plain) without running it', async () => {
    reset();

    const response = await fetch(running.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: 'Bearer t' },
      body: JSON.stringify({
        query: `{ customer(id: "${SAMPLE_CUSTOMER_IDS.educationApproved}") { id } }`,
      }),
    });

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Cross-Site Request Forgery');
    expect(running.simulator.stats.reads).toBe(0);
  });

  it('answers 413 for a body over BODY_LIMIT_BYTES, without an upstream call', async () => {
    reset();

    const response = await postGraphQL(running.graphqlUrl, ONE, {
      id: SAMPLE_CUSTOMER_IDS.educationApproved,
      padding: 'x'.repeat(4096),
    });

    expect(response.status).toBe(413);
    expect(running.simulator.stats.reads).toBe(0);
  });
});

describe('upstream faults over HTTP', () => {
  it('ends a hung upstream call as UPSTREAM_TIMEOUT and keeps the other customers', async () => {
    reset();

    const response = await postGraphQL(
      running.graphqlUrl,
      /* GraphQL */ `
        query ($ids: [ID!]!) {
          customers(ids: $ids) {
            id
          }
        }
      `,
      { ids: [FAULT_CUSTOMER_IDS.hang, SAMPLE_CUSTOMER_IDS.educationApproved] },
    );

    expect(response.body).toEqual({
      data: { customers: [null, { id: SAMPLE_CUSTOMER_IDS.educationApproved }] },
      errors: [
        {
          message: 'Partner Center did not answer in time.',
          locations: [{ line: 3, column: 11 }],
          path: ['customers', 0],
          extensions: { code: 'UPSTREAM_TIMEOUT', customerId: FAULT_CUSTOMER_IDS.hang },
        },
      ],
    });
  });

  it('answers null without an error for an unknown customer', async () => {
    const response = await postGraphQL(running.graphqlUrl, ONE, {
      id: FAULT_CUSTOMER_IDS.notFound,
    });

    expect(response.body).toEqual({ data: { customer: null } });
  });
});

describe('probes', () => {
  it('answers /healthz and /readyz', async () => {
    const health = await fetch(`${running.origin}/healthz`);
    const ready = await fetch(`${running.origin}/readyz`);

    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
  });
});

describe('logs', () => {
  it('writes JSON lines that never contain the caller token', async () => {
    await postGraphQL(
      running.graphqlUrl,
      ONE,
      { id: FAULT_CUSTOMER_IDS.forbidden },
      { authorization: 'Bearer secret-token-xyz' },
    );

    expect(running.logs.lines.length).toBeGreaterThan(0);
    expect(running.logs.entries().length).toBe(running.logs.lines.length);
    expect(running.logs.lines.join('\n')).not.toContain('secret-token-xyz');
  });
});

describe('upstream concurrency', () => {
  it('keeps calls in flight within UPSTREAM_MAX_CONCURRENCY across concurrent operations', async () => {
    const slow = await startGateway({
      env: { UPSTREAM_MAX_CONCURRENCY: '3' },
      simulator: { latencyMs: 50 },
    });
    try {
      const ids = (offset: number) =>
        Array.from(
          { length: 6 },
          (_, n) => `c0000000-0000-4000-8000-00000000${String(offset + n).padStart(4, '0')}`,
        );
      const query = /* GraphQL */ `
        query ($ids: [ID!]!) {
          customers(ids: $ids) {
            id
          }
        }
      `;

      const responses = await Promise.all(
        [0, 10, 20].map((offset) => postGraphQL(slow.graphqlUrl, query, { ids: ids(offset) })),
      );

      expect(
        responses.map((r) => (r.body['data'] as { customers: unknown[] }).customers.length),
      ).toEqual([6, 6, 6]);
      expect(slow.simulator.stats.reads).toBe(18);
      expect(slow.simulator.stats.maxInFlight).toBe(3);
    } finally {
      await slow.close();
    }
  });
});
