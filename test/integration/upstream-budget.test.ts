import { expect, it } from 'vitest';
import { bindingOf, encodeCursor } from '../../src/directory/cursor.js';
import { customerJson, pageJson, replyToList } from '../helpers/mock-directory.js';
import { mockedGatewayPerTest } from '../helpers/mocked-gateway.js';

const id = (n: number) => `50000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const ids = (from: number, count: number) => Array.from({ length: count }, (_, n) => id(from + n));

const mocked = mockedGatewayPerTest({
  MAX_UPSTREAM_CALLS_PER_OPERATION: '5',
  MAX_CUSTOMER_IDS: '10',
});

function refusal(calls: number) {
  return {
    errors: [
      {
        message: `This operation would make ${calls} Partner Center reads; the limit is 5 per operation. Split it into smaller operations.`,
        extensions: { code: 'BAD_USER_INPUT', upstreamCalls: calls, maxUpstreamCalls: 5 },
      },
    ],
  };
}

it('counts ids across aliases, fragments and fields, and refuses past the budget', async () => {
  const result = await mocked.gateway.execute(
    /* GraphQL */ `
      query ($page: [ID!]!, $reps: [_Any!]!) {
        a: customer(id: "${id(1)}") { id }
        ...More
        _entities(representations: $reps) { ... on Customer { id } }
      }
      fragment More on Query {
        b: customers(ids: $page) { id }
        ... on Query { c: customer(id: "${id(2).toUpperCase()}") { id } }
      }
    `,
    { page: ids(1, 3), reps: ids(4, 3).map((value) => ({ __typename: 'Customer', id: value })) },
  );

  expect(result.status).toBe(400);
  expect(result.body).toEqual(refusal(6));
  expect(mocked.upstream.calls).toHaveLength(0);
});

it('counts default values of variables the request leaves out', async () => {
  const list = (values: string[]) => `[${values.map((value) => `"${value}"`).join(', ')}]`;

  const result = await mocked.gateway.execute(/* GraphQL */ `
      query ($a: [ID!]! = ${list(ids(0, 3))}, $b: [ID!]! = ${list(ids(3, 3))}) {
        a: customers(ids: $a) { id }
        b: customers(ids: $b) { id }
      }
    `);

  expect(result.body).toEqual(refusal(6));
  expect(mocked.upstream.calls).toHaveLength(0);
});

it('counts a single representation object as GraphQL coerces it into a list', async () => {
  for (const value of ids(0, 5)) mocked.upstream.reply(value, 200, []);

  const result = await mocked.gateway.execute(
    /* GraphQL */ `
      query ($reps: [_Any!]!, $ids: [ID!]!) {
        _entities(representations: $reps) {
          ... on Customer {
            id
          }
        }
        customers(ids: $ids) {
          id
        }
      }
    `,
    { reps: { __typename: 'Customer', id: id(0) }, ids: ids(1, 4) },
  );

  expect(result.body).toEqual({
    data: { _entities: [{ id: id(0) }], customers: ids(1, 4).map((value) => ({ id: value })) },
  });
  expect(mocked.upstream.calls).toHaveLength(5);
});

it('refuses representations that are not Customer references, before any call', async () => {
  const result = await mocked.gateway.execute(
    /* GraphQL */ `
      query ($reps: [_Any!]!) {
        _entities(representations: $reps) {
          ... on Customer {
            id
          }
        }
      }
    `,
    { reps: [{ __typename: 'Customer', id: id(0) }, { __typename: 'Product', id: '1' }, 42] },
  );

  expect(result.status).toBe(400);
  expect(result.body).toEqual({
    errors: [
      {
        message:
          '_entities representations must be Customer references ({"__typename": "Customer", "id": "<GUID>"}); not at positions 1, 2.',
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'representations' },
      },
    ],
  });
  expect(mocked.upstream.calls).toHaveLength(0);
});

it('counts a customer asked for its name and its qualifications as two reads', async () => {
  const result = await mocked.gateway.execute(
    /* GraphQL */ `
      query ($ids: [ID!]!) {
        customers(ids: $ids) {
          companyName
          qualifications {
            qualification
          }
        }
      }
    `,
    { ids: ids(0, 3) },
  );

  expect(result.body).toEqual(refusal(6));
  expect(mocked.upstream.calls).toHaveLength(0);
});

it('counts a directory page as its list call plus first qualification reads', async () => {
  const page = /* GraphQL */ `
    query ($first: Int!) {
      customerDirectory(first: $first) {
        ...Nodes
      }
    }
    fragment Nodes on CustomerConnection {
      edges {
        node {
          ... on Customer {
            isQualifiedFor(qualification: EDUCATION)
          }
        }
      }
    }
  `;
  const refused = await mocked.gateway.execute(page, { first: 5 });
  expect(refused.body).toEqual(refusal(6));
  expect(mocked.upstream.calls).toHaveLength(0);

  replyToList(
    mocked.upstream,
    '/v1/customers?size=100',
    200,
    pageJson(ids(0, 4).map((value) => customerJson(value, 'Contoso'))),
  );
  for (const value of ids(0, 4)) mocked.upstream.reply(value, 200, []);
  const allowed = await mocked.gateway.execute(page, { first: 4 });
  expect(allowed.body).toEqual({
    data: {
      customerDirectory: {
        edges: ids(0, 4).map(() => ({ node: { isQualifiedFor: false } })),
      },
    },
  });
  expect(mocked.upstream.calls).toHaveLength(5);
});

it('counts a directory page that spans two Partner Center pages as two list calls', async () => {
  const page = /* GraphQL */ `
    query ($first: Int!, $after: String) {
      customerDirectory(first: $first, after: $after) {
        edges {
          node {
            isQualifiedFor(qualification: EDUCATION)
          }
        }
      }
    }
  `;
  const binding = bindingOf(undefined);
  const nearEnd = encodeCursor(binding, { token: 'token-b', size: 100, offset: 98 });
  const atStart = encodeCursor(binding, { token: 'token-b', size: 100, offset: 0 });
  // From item 98 of a page of 100, three nodes span two pages: 2 + 3 reads; four are 6.
  const refused = await mocked.gateway.execute(page, { first: 4, after: nearEnd });
  expect(refused.body).toEqual(refusal(6));
  expect(mocked.upstream.calls).toHaveLength(0);

  const customers = (from: number, count: number) =>
    ids(from, count).map((value) => customerJson(value, 'Contoso'));
  const next = '/v1/customers?size=100&seekOperation=next';
  replyToList(mocked.upstream, next, 200, pageJson(customers(0, 100), 'token-c'), 'token-b');
  replyToList(mocked.upstream, next, 200, pageJson(customers(100, 100)), 'token-c');
  for (const value of ids(98, 3)) mocked.upstream.reply(value, 200, []);
  const allowed = await mocked.gateway.execute(page, { first: 3, after: nearEnd });
  expect(allowed.body).toEqual({
    data: {
      customerDirectory: { edges: ids(98, 3).map(() => ({ node: { isQualifiedFor: false } })) },
    },
  });
  expect(mocked.upstream.calls).toHaveLength(5);

  // Four from the start of a page fit in it: 1 + 4 reads.
  replyToList(mocked.upstream, next, 200, pageJson(customers(0, 100), 'token-c'), 'token-b');
  for (const value of ids(0, 4)) mocked.upstream.reply(value, 200, []);
  const fits = await mocked.gateway.execute(page, { first: 4, after: atStart });
  expect(fits.body).toEqual({
    data: {
      customerDirectory: { edges: ids(0, 4).map(() => ({ node: { isQualifiedFor: false } })) },
    },
  });
  expect(mocked.upstream.calls).toHaveLength(10);
});

it('counts a directory page whose nodes ask only for names as one read', async () => {
  replyToList(mocked.upstream, '/v1/customers?size=100', 200, pageJson([]));

  const result = await mocked.gateway.execute(/* GraphQL */ `
    {
      a: customerDirectory(first: 100) {
        totalCount
        edges {
          node {
            companyName
          }
        }
      }
    }
  `);

  expect(result.body).toEqual({ data: { a: { totalCount: 0, edges: [] } } });
  expect(mocked.upstream.calls).toHaveLength(1);
});
