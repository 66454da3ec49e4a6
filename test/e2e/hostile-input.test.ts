import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';
import { CUSTOMERS_IDS, CUSTOMER_ID, ENTITIES_IDS } from '../helpers/operations.js';

const AUTH = { authorization: 'Bearer t' };

/** Distinct valid GUIDs of the simulator's generated customers. */
const generated = (n: number) => `c0000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const distinct = (count: number) => Array.from({ length: count }, (_, n) => generated(n));

let running: RunningGateway;
/**
 * A second gateway with the default body limit: 201 distinct GUIDs are 7.4 kB on their own and
 * cannot reach the upstream budget through a 4096-byte limit.
 */
let roomy: RunningGateway;

beforeAll(async () => {
  [running, roomy] = await Promise.all([
    // Both count what reaches Partner Center: without the cache every read does.
    startGateway({ env: { BODY_LIMIT_BYTES: '4096', CACHE_ENABLED: 'false' } }),
    startGateway({ env: { CACHE_ENABLED: 'false' } }),
  ]);
});
afterAll(async () => {
  await Promise.all([running.close(), roomy.close()]);
});
beforeEach(() => {
  running.simulator.reset();
  roomy.simulator.reset();
});

/** POSTs a raw body, as a hostile client would, and reads the answer as JSON. */
async function send(
  body: string,
  contentType = 'application/json',
  target: RunningGateway = running,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(target.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': contentType, ...AUTH },
    body,
  });
  return { status: response.status, body: JSON.parse(await response.text()) as unknown };
}

const operation = (query: string, variables: Record<string, unknown> = {}) =>
  JSON.stringify({ query, variables });

const badRequest = (message: string) => ({
  errors: [{ message, extensions: { code: 'BAD_REQUEST' } }],
});

const budgetRefusal = (calls: number) => ({
  errors: [
    {
      message: `This operation would make ${calls} Partner Center reads; the limit is 200 per operation. Split it into smaller operations.`,
      extensions: { code: 'BAD_USER_INPUT', upstreamCalls: calls, maxUpstreamCalls: 200 },
    },
  ],
});

describe('refused by HTTP before GraphQL runs', () => {
  it('answers 413 BAD_REQUEST for a body over BODY_LIMIT_BYTES', async () => {
    const body = operation(CUSTOMER_ID, {
      id: SAMPLE_CUSTOMER_IDS.educationApproved,
      padding: 'x'.repeat(4096),
    });

    const response = await send(body);

    expect(response).toEqual({ status: 413, body: badRequest('Request body is too large') });
    expect(running.simulator.stats.reads).toBe(0);
  });

  it.each([
    [
      'truncated JSON',
      `{"query": "{ customer(id: \\"${SAMPLE_CUSTOMER_IDS.educationApproved}\\") { id } }"`,
      "Body is not valid JSON but content-type is set to 'application/json'",
    ],
    [
      'a bare GraphQL document',
      '{ __typename }',
      "Body is not valid JSON but content-type is set to 'application/json'",
    ],
    ['an empty body', '', "Body cannot be empty when content-type is set to 'application/json'"],
  ])('answers 400 BAD_REQUEST for %s labelled application/json', async (_label, body, message) => {
    const response = await send(body);

    expect(response).toEqual({ status: 400, body: badRequest(message) });
    expect(running.simulator.stats.reads).toBe(0);
  });

  it('answers 415 BAD_REQUEST for a media type it does not read', async () => {
    const response = await send(
      `<query>{ customer(id: "${SAMPLE_CUSTOMER_IDS.educationApproved}") { id } }</query>`,
      'application/xml',
    );

    expect(response).toEqual({ status: 415, body: badRequest('Unsupported Media Type') });
    expect(running.simulator.stats.reads).toBe(0);
  });
});

describe('refused as a malformed GraphQL request', () => {
  it.each([
    ['an array', '[]', 'Operation batching disabled.'],
    ['a string', '"x"', 'POST body missing, invalid Content-Type, or JSON object has no keys.'],
    ['a number', '42', 'POST body missing, invalid Content-Type, or JSON object has no keys.'],
    ['null', 'null', 'POST body missing, invalid Content-Type, or JSON object has no keys.'],
  ])(
    'answers 400 BAD_REQUEST for JSON that is %s, not an object',
    async (_label, body, message) => {
      const response = await send(body);

      expect(response).toEqual({ status: 400, body: badRequest(message) });
      expect(running.simulator.stats.reads).toBe(0);
    },
  );

  it.each([
    [
      'an object',
      { a: 1 },
      'Variable "$id" got invalid value { a: 1 }; ID cannot represent value: { a: 1 }',
    ],
    ['null', null, 'Variable "$id" of non-null type "ID!" must not be null.'],
  ])(
    'answers 400 BAD_USER_INPUT naming the variable when $id is %s',
    async (_label, id, message) => {
      const response = await send(operation(CUSTOMER_ID, { id }));

      expect(response).toEqual({
        status: 400,
        body: {
          errors: [
            {
              message,
              locations: [{ line: 2, column: 10 }],
              extensions: { code: 'BAD_USER_INPUT' },
            },
          ],
        },
      });
      expect(running.simulator.stats.reads).toBe(0);
    },
  );
});

describe('refused before parsing completes', () => {
  const NOT_GRAPHQL = `SELECT * FROM customers WHERE id = '${SAMPLE_CUSTOMER_IDS.educationApproved}'`;
  /** 2001 tokens in about 4 kB: one over MAX_QUERY_TOKENS, just under the body limit. */
  const TOO_MANY_TOKENS = `{ ${'a '.repeat(2001)}}`;

  it.each([
    ['not GraphQL', NOT_GRAPHQL],
    ['over MAX_QUERY_TOKENS', TOO_MANY_TOKENS],
  ])(
    'answers an operation that is %s with one error, no data and no upstream call',
    async (_label, query) => {
      const response = await send(operation(query));

      expect(response.body).toEqual({
        errors: [
          {
            message: expect.stringMatching(/^Syntax Error: /) as unknown,
            locations: [{ line: 1, column: expect.any(Number) as unknown }],
            extensions: { code: 'GRAPHQL_PARSE_FAILED' },
          },
        ],
      });
      expect(running.simulator.stats.reads).toBe(0);
    },
  );

  it.each([
    ['not GraphQL', NOT_GRAPHQL],
    ['over MAX_QUERY_TOKENS', TOO_MANY_TOKENS],
  ])('answers an operation that is %s with 400 GRAPHQL_PARSE_FAILED', async (_label, query) => {
    const response = await send(operation(query));

    const errors = (response.body as { errors: { extensions: { code: string } }[] }).errors;
    expect([response.status, errors.map((error) => error.extensions.code)]).toEqual([
      400,
      ['GRAPHQL_PARSE_FAILED'],
    ]);
  });
});

describe('refused by validation limits', () => {
  it('answers 400 GRAPHQL_VALIDATION_FAILED for 40 aliases of customer(id:)', async () => {
    const aliases = distinct(40)
      .map((id, n) => `a${n}: customer(id: "${id}") { id }`)
      .join('\n');

    const response = await send(operation(/* GraphQL */ `{ ${aliases} }`));

    expect(response).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message: 'Syntax Error: Aliases limit of 30 exceeded, found 40.',
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      },
    });
    expect(running.simulator.stats.reads).toBe(0);
  });

  it('answers 400 GRAPHQL_VALIDATION_FAILED for an operation nested deeper than MAX_QUERY_DEPTH', async () => {
    const nested = `${'... on Customer { '.repeat(7)}id${' }'.repeat(7)}`;
    const query = /* GraphQL */ `{ customer(id: "${SAMPLE_CUSTOMER_IDS.educationApproved}") { ${nested} } }`;

    const response = await send(operation(query));

    expect(response).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message: 'Syntax Error: Query depth limit of 8 exceeded, found 9.',
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      },
    });
    expect(running.simulator.stats.reads).toBe(0);
  });
});

describe('the upstream budget', () => {
  it('refuses 100 customers with names and qualifications and one more with 400 BAD_USER_INPUT', async () => {
    const [one, ...hundred] = distinct(101);
    const query = /* GraphQL */ `
      query ($ids: [ID!]!, $one: ID!) {
        customers(ids: $ids) {
          companyName
          qualifications {
            qualification
          }
        }
        one: customer(id: $one) {
          id
        }
      }
    `;

    const response = await send(operation(query, { ids: hundred, one }), 'application/json', roomy);

    expect(response).toEqual({ status: 400, body: budgetRefusal(201) });
    expect(roomy.simulator.stats.reads).toBe(0);
  });

  it('refuses _entities with 201 representations of distinct customers with 400 BAD_USER_INPUT', async () => {
    const representations = distinct(201).map((id) => ({ __typename: 'Customer', id }));

    const response = await send(
      operation(ENTITIES_IDS, { representations }),
      'application/json',
      roomy,
    );

    expect(response).toEqual({ status: 400, body: budgetRefusal(201) });
    expect(roomy.simulator.stats.reads).toBe(0);
  });

  const three = [
    SAMPLE_CUSTOMER_IDS.educationApproved,
    SAMPLE_CUSTOMER_IDS.stateOwnedEntity,
    SAMPLE_CUSTOMER_IDS.noQualifications,
  ];
  /** Only three customers, each spelled in lower and upper case. */
  const repeated = (count: number) =>
    Array.from({ length: count }, (_, n) => {
      const id = three[n % 3] ?? '';
      return n % 2 === 0 ? id : id.toUpperCase();
    });

  it('counts unique customers: 100 entries of 3 ids in mixed case make 3 upstream calls', async () => {
    const ids = repeated(100);

    const response = await postGraphQL(running.graphqlUrl, CUSTOMERS_IDS, { ids }, AUTH);

    expect({ status: response.status, body: response.body }).toEqual({
      status: 200,
      body: { data: { customers: ids.map((id) => ({ id: id.toLowerCase() })) } },
    });
    expect(running.simulator.stats.reads).toBe(3);
  });

  it('leaves 101 entries of 3 ids to MAX_CUSTOMER_IDS, not to the budget', async () => {
    const response = await postGraphQL(
      running.graphqlUrl,
      CUSTOMERS_IDS,
      { ids: repeated(101) },
      AUTH,
    );

    expect({ status: response.status, body: response.body }).toEqual({
      status: 200,
      body: {
        errors: [
          {
            message: 'At most 100 customer ids may be asked at once.',
            locations: [{ line: 3, column: 5 }],
            path: ['customers'],
            extensions: { code: 'BAD_USER_INPUT', argumentName: 'ids' },
          },
        ],
        data: null,
      },
    });
    expect(running.simulator.stats.reads).toBe(0);
  });
});

describe('afterwards', () => {
  it('still answers a normal query', async () => {
    const response = await postGraphQL(
      running.graphqlUrl,
      CUSTOMER_ID,
      { id: SAMPLE_CUSTOMER_IDS.educationApproved },
      AUTH,
    );

    expect({ status: response.status, body: response.body }).toEqual({
      status: 200,
      body: { data: { customer: { id: SAMPLE_CUSTOMER_IDS.educationApproved } } },
    });
    expect(running.simulator.stats.reads).toBe(1);
  });
});
