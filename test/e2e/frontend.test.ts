import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAULT_CUSTOMER_IDS,
  generatedCustomerId,
  SAMPLE_CUSTOMER_IDS,
} from '../../src/simulator/data.js';
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
      'access-control-request-headers':
        'authorization,content-type,cache-control,apollographql-client-name,apollographql-client-version,accept',
    },
  });
}

/** The headers CORS is about, whole: those a browser reads to decide, and the refusal's reason. */
function corsHeadersOf(response: { headers: Headers }): Record<string, string> {
  return Object.fromEntries(
    [...response.headers].filter(
      ([name]) =>
        name.startsWith('access-control-') || name === 'vary' || name === 'x-cors-refused',
    ),
  );
}

const GRANTED = {
  'access-control-allow-origin': PORTAL,
  'access-control-expose-headers': 'ms-correlationid, retry-after',
  vary: 'Origin',
};

describe('CORS', () => {
  it('lets an allowed origin preflight with what Apollo Client (accept too, for multipart subscriptions) and a refresh button send, and read ms-correlationid', async () => {
    const response = await preflight(running.graphqlUrl, PORTAL);

    expect(response.status).toBe(204);
    expect(corsHeadersOf(response)).toEqual({
      ...GRANTED,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers':
        'authorization, accept, content-type, ms-correlationid, apollo-require-preflight, x-apollo-operation-name, apollographql-client-name, apollographql-client-version, cache-control, pragma, x-locale, ms-cv, x-upstream-cost',
      'access-control-max-age': '600',
    });

    const actual = await postGraphQL(
      running.graphqlUrl,
      ONE,
      { id: SAMPLE_CUSTOMER_IDS.educationApproved },
      {
        authorization: 'Bearer t',
        origin: PORTAL,
        'cache-control': 'no-cache',
        'apollographql-client-name': 'portal',
        'apollographql-client-version': '1.0.0',
      },
    );
    expect(actual.status).toBe(200);
    expect(actual.body['errors']).toBeUndefined();
    expect(corsHeadersOf(actual)).toEqual(GRANTED);
    expect(actual.headers.get('ms-correlationid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses an origin not on the list its preflight, granting it nothing and naming CORS_ORIGINS', async () => {
    const evil = 'https://evil.example.com';
    const response = await preflight(running.graphqlUrl, evil);
    const actual = await postGraphQL(
      running.graphqlUrl,
      ONE,
      { id: SAMPLE_CUSTOMER_IDS.educationApproved },
      { authorization: 'Bearer t', origin: evil },
    );

    const reason =
      'The calling origin is not in CORS_ORIGINS, the browser origins allowed to call.';
    expect([response.status, corsHeadersOf(response), await response.text()]).toEqual([
      403,
      { vary: 'Origin', 'x-cors-refused': reason },
      reason,
    ]);
    // Without the grant the browser keeps the answer from the page; curl and servers still get it.
    expect(actual.status).toBe(200);
    expect(corsHeadersOf(actual)).toEqual({ vary: 'Origin' });
  });

  it('answers every preflight until CORS_ORIGINS is set: off, and which variable turns it on', async () => {
    const reason =
      'Cross-origin calls are off: set CORS_ORIGINS to the browser origins allowed to call (comma-separated).';
    for (const url of [closed.graphqlUrl, `${closed.origin}/healthz`]) {
      const response = await preflight(url, PORTAL);
      expect([response.status, corsHeadersOf(response), await response.text()]).toEqual([
        403,
        { 'x-cors-refused': reason },
        reason,
      ]);
    }
  });

  it('leaves what is not a preflight as it was: same-origin calls, Sandbox, GraphiQL, a bare OPTIONS', async () => {
    const sameOrigin = await postGraphQL(
      closed.graphqlUrl,
      '{ __typename }',
      {},
      {
        authorization: 'Bearer t',
        origin: closed.origin,
      },
    );
    const graphiql = await fetch(`${closed.origin}/graphiql`, {
      headers: { origin: closed.origin },
    });
    const sandbox = await fetch(closed.graphqlUrl, { headers: { accept: 'text/html' } });
    const bare = await fetch(closed.graphqlUrl, { method: 'OPTIONS' });
    const withoutMethod = await fetch(closed.graphqlUrl, {
      method: 'OPTIONS',
      headers: { origin: PORTAL },
    });

    expect([sameOrigin.status, sameOrigin.body]).toEqual([200, { data: { __typename: 'Query' } }]);
    expect(corsHeadersOf(sameOrigin)).toEqual({});
    expect([graphiql.status, sandbox.status]).toEqual([200, 200]);
    expect(await sandbox.text()).toContain('<html');
    expect([bare.status, withoutMethod.status]).toEqual([404, 404]);
  });

  it('keeps CSRF prevention: a simple cross-site GET without a preflight header is refused', async () => {
    const response = await fetch(
      `${running.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`,
      { headers: { origin: PORTAL } },
    );

    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { extensions: unknown }[] }).errors).toEqual([
      expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } }),
    ]);
    expect(corsHeadersOf(response)).toEqual(GRANTED);
  });

  it('lets an allowed origin read Retry-After on an OVERLOADED refusal', async () => {
    // One call at a time, each allowed 1 s: 20 reads queued ahead leave no room for one more.
    const busy = await startGateway({
      env: {
        CORS_ORIGINS: PORTAL,
        CACHE_ENABLED: 'false',
        UPSTREAM_MAX_CONCURRENCY: '1',
        UPSTREAM_TIMEOUT_MS: '1000',
      },
    });
    const ahead = new AbortController();
    try {
      await fetch(new URL('/_simulator/latency', busy.simulator.url), {
        method: 'POST',
        body: JSON.stringify({ ms: 300 }),
      });
      const many = /* GraphQL */ `
        query Many($ids: [ID!]!) {
          customers(ids: $ids) {
            id
          }
        }
      `;
      const ids = Array.from({ length: 20 }, (_, n) => generatedCustomerId(n));
      const first = postGraphQL(busy.graphqlUrl, many, { ids }, undefined, ahead.signal).catch(
        () => undefined,
      );
      for (let n = 0; n < 200 && busy.simulator.stats.inFlight === 0; n += 1)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(busy.simulator.stats.inFlight).toBe(1);

      const refused = await postGraphQL(
        busy.graphqlUrl,
        many,
        { ids: [generatedCustomerId(100)] },
        { authorization: 'Bearer t', origin: PORTAL },
      );
      ahead.abort();
      await first;

      const retryAfter = refused.headers.get('retry-after');
      expect(refused.status).toBe(503);
      expect(refused.body).toEqual({
        errors: [
          {
            message: `The gateway is at capacity: this operation's 1 Partner Center reads could not finish in time. Retry in ${String(retryAfter)} s.`,
            extensions: { code: 'OVERLOADED', retryAfter: Number(retryAfter) },
          },
        ],
      });
      expect(corsHeadersOf(refused)).toEqual(GRANTED);
    } finally {
      ahead.abort();
      await busy.close();
    }
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
    // customerDirectory is not a read of customers by id: no page of it carries a max-age.
    expect(
      await cacheControlOf(/* GraphQL */ `
        {
          customerDirectory(first: 2) {
            edges {
              node {
                id
              }
            }
          }
        }
      `),
    ).toBe('no-store');
  });
});
