import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_CUSTOMER_IDS, SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';

const PORTAL = 'https://portal.example.com';
const ONE = /* GraphQL */ `
  query One($id: ID!) {
    customer(id: $id) {
      id
      qualifications {
        vettingStatus
      }
    }
  }
`;

let running: RunningGateway;
let closed: RunningGateway;
beforeAll(async () => {
  running = await startGateway({
    // The gateway's own cache would lower max-age by the seconds its entries have aged.
    env: {
      CORS_ORIGINS: `${PORTAL},http://localhost:5173`,
      // Two of the padded queries below (980 B of heap each, key included), not three.
      APQ_CACHE_BYTES: '2000',
      CACHE_ENABLED: 'false',
    },
  });
  closed = await startGateway();
});
afterAll(async () => {
  await running.close();
  await closed.close();
});

function preflight(url: string, origin: string) {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type,ms-correlationid',
    },
  });
}

describe('CORS', () => {
  it('lets an allowed origin preflight with authorization and read ms-correlationid', async () => {
    const response = await preflight(running.graphqlUrl, PORTAL);

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(PORTAL);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(response.headers.get('access-control-allow-headers')?.split(/,\s*/)).toEqual(
      expect.arrayContaining([
        'authorization',
        'content-type',
        'ms-correlationid',
        'apollo-require-preflight',
        'x-apollo-operation-name',
      ]),
    );

    const actual = await postGraphQL(
      running.graphqlUrl,
      ONE,
      { id: SAMPLE_CUSTOMER_IDS.educationApproved },
      {
        authorization: 'Bearer t',
        origin: PORTAL,
      },
    );
    expect(actual.headers.get('access-control-allow-origin')).toBe(PORTAL);
    expect(actual.headers.get('access-control-expose-headers')).toBe('ms-correlationid');
  });

  it('gives an origin not on the list no CORS headers at all', async () => {
    const response = await preflight(running.graphqlUrl, 'https://evil.example.com');
    const actual = await postGraphQL(
      running.graphqlUrl,
      ONE,
      { id: SAMPLE_CUSTOMER_IDS.educationApproved },
      {
        authorization: 'Bearer t',
        origin: 'https://evil.example.com',
      },
    );

    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(actual.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows no origin at all until CORS_ORIGINS is set', async () => {
    const response = await preflight(closed.graphqlUrl, PORTAL);

    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('automatic persisted queries', () => {
  const query = `query Apq($id: ID!) { customer(id: $id) { id } }`;
  const hash = createHash('sha256').update(query).digest('hex');
  const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
  const variables = { id: SAMPLE_CUSTOMER_IDS.stateOwnedEntity };

  async function post(body: Record<string, unknown>) {
    const response = await fetch(running.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('asks for the query, stores it with its hash, then answers by hash alone, also over GET', async () => {
    const unknown = await post({ extensions, variables });
    const stored = await post({ query, extensions, variables });
    const byHash = await post({ extensions, variables });
    const get = await fetch(
      `${running.graphqlUrl}?extensions=${encodeURIComponent(JSON.stringify(extensions))}&variables=${encodeURIComponent(JSON.stringify(variables))}`,
      { headers: { authorization: 'Bearer t', 'apollo-require-preflight': 'true' } },
    );

    expect((unknown.body['errors'] as { extensions: { code: string } }[])[0]?.extensions.code).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
    const answer = { data: { customer: { id: SAMPLE_CUSTOMER_IDS.stateOwnedEntity } } };
    expect(stored.body).toEqual(answer);
    expect(byHash.body).toEqual(answer);
    expect([get.status, await get.json()]).toEqual([200, answer]);
  });

  it('answers a wrong version or a hash that is not the query with BAD_REQUEST, a client mistake', async () => {
    const countOf = async (code: string) => {
      const text = await (await fetch(`${running.origin}/metrics`)).text();
      return sampleValue(parsePrometheus(text), 'pcgw_graphql_errors_total', { code }) ?? 0;
    };
    const unexpected = () =>
      running.logs.entries().filter((entry) => entry['msg'] === 'unexpected error').length;
    const before = {
      internal: await countOf('INTERNAL_SERVER_ERROR'),
      badRequest: await countOf('BAD_REQUEST'),
      unexpected: unexpected(),
    };

    const wrongVersion = await post({
      query,
      variables,
      extensions: { persistedQuery: { version: 2, sha256Hash: hash } },
    });
    const wrongHash = await post({
      query,
      variables,
      extensions: {
        persistedQuery: {
          version: 1,
          sha256Hash: createHash('sha256').update('{ x }').digest('hex'),
        },
      },
    });

    expect(wrongVersion).toEqual({
      status: 400,
      body: {
        errors: [
          { message: 'Unsupported persisted query version', extensions: { code: 'BAD_REQUEST' } },
        ],
      },
    });
    expect(wrongHash).toEqual({
      status: 400,
      body: {
        errors: [
          { message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } },
        ],
      },
    });
    expect({
      internal: await countOf('INTERNAL_SERVER_ERROR'),
      badRequest: await countOf('BAD_REQUEST'),
      unexpected: unexpected(),
    }).toEqual({ ...before, badRequest: before.badRequest + 2 });
  });

  it('keeps the store within APQ_CACHE_BYTES, forgetting the oldest queries', async () => {
    const padded = (n: number) =>
      `query Pad${n} { customer(id: "${SAMPLE_CUSTOMER_IDS.stateOwnedEntity}") { id ${'__typename '.repeat(20)}} }`;
    const persisted = (text: string) => ({
      persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(text).digest('hex') },
    });
    for (const n of [1, 2, 3]) await post({ query: padded(n), extensions: persisted(padded(n)) });

    const first = await post({ extensions: persisted(padded(1)) });
    const last = await post({ extensions: persisted(padded(3)) });

    expect((first.body['errors'] as { extensions: { code: string } }[])[0]?.extensions.code).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
    expect(last.body['data']).toEqual({
      customer: { id: SAMPLE_CUSTOMER_IDS.stateOwnedEntity, __typename: 'Customer' },
    });
  });
});

describe('Cache-Control', () => {
  async function cacheControl(id: string) {
    const response = await postGraphQL(running.graphqlUrl, ONE, { id });
    return response.headers.get('cache-control');
  }

  it('lets settled answers be cached longer than vetting in review, privately per caller', async () => {
    expect(await cacheControl(SAMPLE_CUSTOMER_IDS.educationApproved)).toBe('max-age=300, private');
    expect(await cacheControl(SAMPLE_CUSTOMER_IDS.stateOwnedEntity)).toBe('max-age=300, private');
    expect(await cacheControl(SAMPLE_CUSTOMER_IDS.educationInReview)).toBe('max-age=30, private');
  });

  it('lets no cache keep an answer with errors', async () => {
    expect(await cacheControl(FAULT_CUSTOMER_IDS.forbidden)).toBe('no-store');
  });

  async function cacheControlOf(query: string, variables: Record<string, unknown> = {}) {
    const response = await postGraphQL(running.graphqlUrl, query, variables);
    expect(response.body['errors']).toBeUndefined();
    return response.headers.get('cache-control');
  }

  it('caches a page of customers only as long as its least settled one, through fragments', async () => {
    const page = /* GraphQL */ `
      query Page($ids: [ID!]!) {
        ...Root
      }
      fragment Root on Query {
        __typename
        customers(ids: $ids) {
          id
        }
      }
    `;
    const { educationApproved, educationInReview } = SAMPLE_CUSTOMER_IDS;

    expect(await cacheControlOf(page, { ids: [educationApproved] })).toBe('max-age=300, private');
    expect(await cacheControlOf(page, { ids: [educationApproved, educationInReview] })).toBe(
      'max-age=30, private',
    );
    expect(await cacheControlOf(page, { ids: [] })).toBe('no-store');
  });

  it('lets no cache keep what is not only customer reads', async () => {
    const mixed = /* GraphQL */ `
      query Mixed($id: ID!) {
        customer(id: $id) {
          id
        }
        gccValidationCodes {
          validationCode
        }
      }
    `;

    expect(await cacheControlOf(mixed, { id: SAMPLE_CUSTOMER_IDS.educationApproved })).toBe(
      'no-store',
    );
    expect(await cacheControlOf('{ __typename }')).toBe('no-store');
  });
});
