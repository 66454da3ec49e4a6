import { describe, expect, it, onTestFinished } from 'vitest';
import { bindingOf, encodeCursor, version1BindingOf } from '../../src/directory/cursor.js';
import { createTestApollo } from '../helpers/apollo.js';
import { testConfig } from '../helpers/config.js';
import { customerJson, pageJson, replyToList } from '../helpers/mock-directory.js';
import { mockedGatewayPerTest } from '../helpers/mocked-gateway.js';
import { DIRECTORY_PAGE as DIRECTORY } from '../helpers/operations.js';

const id = (n: number) => `60000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const NAMES = ['Contoso One', 'Contoso Two', 'Contoso Three', 'Contoso Four', 'Contoso Five'];
const item = (n: number) => customerJson(id(n), NAMES[n] ?? `Customer ${n}`);
const CONTOSO = { field: 'CompanyName', value: 'Contoso' } as const;

const WITH_QUALIFICATIONS = /* GraphQL */ `
  query ($first: Int) {
    customerDirectory(first: $first) {
      edges {
        node {
          id
          companyName
          qualifications {
            qualification
          }
        }
      }
    }
  }
`;

const filterPath = (size: number, field: string, value: string) =>
  `/v1/customers?size=${size}&filter=${encodeURIComponent(
    JSON.stringify({ Field: field, Value: value, Operator: 'starts_with' }),
  )}`;
const nextPath = (size: number) => `/v1/customers?size=${size}&seekOperation=next`;
const nameSearch = (value: string) => bindingOf({ field: 'CompanyName', value });
/** A new walk asks Partner Center for 100 customers a page, whatever `first` is. */
const cursor = (binding: string, token: string | null, offset: number, size = 100) =>
  encodeCursor(binding, { token, size, offset });

function edge(n: number, after: string) {
  const customer = item(n);
  return {
    cursor: after,
    node: {
      id: id(n),
      companyName: customer.companyProfile.companyName,
      domain: customer.companyProfile.domain,
      relationshipToPartner: 'RESELLER',
    },
  };
}

const mocked = mockedGatewayPerTest({ UPSTREAM_RETRIES: '0' });

/** A whole answer of one page. */
function onePage(totalCount: number, hasNextPage: boolean, endCursor: string, edges: unknown[]) {
  return {
    data: { customerDirectory: { totalCount, pageInfo: { hasNextPage, endCursor }, edges } },
  };
}

/** A failed page: no data (the connection is non-null), the error on `customerDirectory`. */
function directoryError(message: string, extensions: Record<string, unknown>) {
  return {
    data: null,
    errors: [
      { message, locations: [{ line: 3, column: 5 }], path: ['customerDirectory'], extensions },
    ],
  };
}

describe('customerDirectory paging', () => {
  it('sends the search as Partner Center filter, then the continuation token as its header', async () => {
    const binding = nameSearch('Contoso T');
    replyToList(
      mocked.upstream,
      filterPath(100, 'CompanyName', 'Contoso T'),
      200,
      pageJson([item(1), item(2)], 'token-2', 3),
    );
    replyToList(mocked.upstream, nextPath(100), 200, pageJson([item(3)], undefined, 3), 'token-2');

    const first = await mocked.gateway.execute(DIRECTORY, { first: 2, name: 'Contoso T' });
    const endCursor = cursor(binding, 'token-2', 0);
    expect(first.body).toEqual({
      data: {
        customerDirectory: {
          totalCount: 3,
          pageInfo: { hasNextPage: true, endCursor },
          edges: [edge(1, cursor(binding, null, 1)), edge(2, endCursor)],
        },
      },
    });

    const second = await mocked.gateway.execute(DIRECTORY, {
      first: 2,
      name: 'Contoso T',
      after: endCursor,
    });
    const last = cursor(binding, 'token-2', 1);
    expect(second.body).toEqual(onePage(3, false, last, [edge(3, last)]));
    expect(mocked.upstream.calls.map((call) => call.path)).toEqual([
      '/v1/customers?size=100&filter=%7B%22Field%22%3A%22CompanyName%22%2C%22Value%22%3A%22Contoso%20T%22%2C%22Operator%22%3A%22starts_with%22%7D',
      '/v1/customers?size=100&seekOperation=next',
    ]);
    expect(mocked.upstream.calls[0]?.headers['ms-continuationtoken']).toBeUndefined();
    expect(mocked.upstream.calls[1]?.headers['ms-continuationtoken']).toBe('token-2');
  });

  it('reads on with a cursor from another replica', async () => {
    const replica = await createTestApollo(mocked.upstream.agent, testConfig());
    onTestFinished(() => replica.server.stop());
    replyToList(mocked.upstream, '/v1/customers?size=100', 200, pageJson([item(0)], 'token-b', 2));
    replyToList(mocked.upstream, nextPath(100), 200, pageJson([item(1)], undefined, 2), 'token-b');

    const first = await mocked.gateway.execute(DIRECTORY, { first: 1 });
    const { endCursor } = (
      first.body as { data: { customerDirectory: { pageInfo: { endCursor: string } } } }
    ).data.customerDirectory.pageInfo;
    const second = await replica.execute(DIRECTORY, { first: 1, after: endCursor });

    const binding = bindingOf(undefined);
    expect(second.body).toEqual(
      onePage(2, false, cursor(binding, 'token-b', 1), [edge(1, cursor(binding, 'token-b', 1))]),
    );
  });

  it('searches by domain with the Domain filter', async () => {
    replyToList(mocked.upstream, filterPath(100, 'Domain', 'contosoone'), 200, pageJson([item(0)]));

    const result = await mocked.gateway.execute(DIRECTORY, { domain: 'contosoone' });

    const binding = bindingOf({ field: 'Domain', value: 'contosoone' });
    const only = cursor(binding, null, 1);
    expect(result.body).toEqual(onePage(1, false, only, [edge(0, only)]));
    expect(mocked.upstream.calls).toHaveLength(1);
  });

  it('resumes after an edge inside a page by re-reading that page and skipping to it', async () => {
    const binding = nameSearch('Contoso');
    const firstPage = filterPath(100, 'CompanyName', 'Contoso');
    // Each page is read twice: once in turn, once to resume inside it.
    for (let read = 0; read < 2; read += 1) {
      const continued = pageJson([item(3), item(4)], undefined, 5);
      replyToList(
        mocked.upstream,
        firstPage,
        200,
        pageJson([item(0), item(1), item(2)], 'token-3', 5),
      );
      replyToList(mocked.upstream, nextPath(100), 200, continued, 'token-3');
    }
    const args = { first: 3, name: 'Contoso' };

    const page = await mocked.gateway.execute(DIRECTORY, args);
    const afterFirst = cursor(binding, null, 1);
    expect(page.body).toMatchObject({
      data: { customerDirectory: { edges: [{ cursor: afterFirst }, {}, {}] } },
    });
    const rest = await mocked.gateway.execute(DIRECTORY, { ...args, after: afterFirst });
    const atToken = cursor(binding, 'token-3', 0);
    expect(rest.body).toEqual(
      onePage(5, true, atToken, [edge(1, cursor(binding, null, 2)), edge(2, atToken)]),
    );
    // Inside a continued page: the same token again, then skip.
    const fromFourth = await mocked.gateway.execute(DIRECTORY, {
      ...args,
      after: cursor(binding, 'token-3', 1),
    });
    expect(fromFourth.body).toEqual(
      onePage(5, false, cursor(binding, 'token-3', 2), [edge(4, cursor(binding, 'token-3', 2))]),
    );
    const last = await mocked.gateway.execute(DIRECTORY, { ...args, after: atToken });
    expect(last.body).toMatchObject({
      data: { customerDirectory: { pageInfo: { hasNextPage: false }, edges: [{}, {}] } },
    });
    expect(mocked.upstream.calls).toHaveLength(4);
  });

  it('reads on after a cursor with another first, across two Partner Center pages of the same size', async () => {
    const binding = bindingOf(undefined);
    const full = Array.from({ length: 100 }, (_, n) => item(n));
    // The first Partner Center page is read twice: in turn, then to resume inside it.
    for (let read = 0; read < 2; read += 1) {
      replyToList(mocked.upstream, '/v1/customers?size=100', 200, pageJson(full, 'token-b', 150));
    }
    const rest = Array.from({ length: 50 }, (_, n) => item(100 + n));
    for (let read = 0; read < 2; read += 1) {
      replyToList(mocked.upstream, nextPath(100), 200, pageJson(rest, undefined, 150), 'token-b');
    }
    const ids = (body: unknown) =>
      (body as { data: { customerDirectory: { edges: { node: { id: string } }[] } } }).data
        .customerDirectory.edges;

    const page = await mocked.gateway.execute(DIRECTORY, { first: 98 });
    expect(ids(page.body).map((e) => e.node.id)).toEqual(full.map((c) => c.id).slice(0, 98));
    const across = await mocked.gateway.execute(DIRECTORY, {
      first: 7,
      after: cursor(binding, null, 98),
    });
    const fromB = cursor(binding, 'token-b', 5);
    expect(across.body).toEqual(
      onePage(150, true, fromB, [
        edge(98, cursor(binding, null, 99)),
        edge(99, cursor(binding, 'token-b', 0)),
        edge(100, cursor(binding, 'token-b', 1)),
        edge(101, cursor(binding, 'token-b', 2)),
        edge(102, cursor(binding, 'token-b', 3)),
        edge(103, cursor(binding, 'token-b', 4)),
        edge(104, fromB),
      ]),
    );
    const one = await mocked.gateway.execute(DIRECTORY, { first: 1, after: fromB });
    expect(one.body).toEqual(
      onePage(150, true, cursor(binding, 'token-b', 6), [edge(105, cursor(binding, 'token-b', 6))]),
    );
    expect(mocked.upstream.calls.map((call) => call.path)).toEqual([
      '/v1/customers?size=100',
      '/v1/customers?size=100',
      nextPath(100),
      nextPath(100),
    ]);
    expect(mocked.upstream.calls.map((call) => call.headers['ms-continuationtoken'])).toEqual([
      undefined,
      undefined,
      'token-b',
      'token-b',
    ]);
  });

  it('reads on from a cursor handed out before first could change, at its own size, in at most two calls', async () => {
    const old = Buffer.from(
      JSON.stringify({ v: 1, b: version1BindingOf(2, undefined), t: 'token-2', o: 0 }),
    ).toString('base64url');
    replyToList(
      mocked.upstream,
      nextPath(2),
      200,
      pageJson([item(2), item(3)], 'token-4', 9),
      'token-2',
    );
    replyToList(
      mocked.upstream,
      nextPath(2),
      200,
      pageJson([item(4), item(5)], 'token-6', 9),
      'token-4',
    );

    const result = await mocked.gateway.execute(DIRECTORY, { first: 5, after: old });

    // Two Partner Center pages of two: a page of four, with more to come from token-6.
    const binding = bindingOf(undefined);
    const end = cursor(binding, 'token-6', 0, 2);
    expect(result.body).toEqual(
      onePage(9, true, end, [
        edge(2, cursor(binding, 'token-2', 1, 2)),
        edge(3, cursor(binding, 'token-4', 0, 2)),
        edge(4, cursor(binding, 'token-4', 1, 2)),
        edge(5, end),
      ]),
    );
    expect(mocked.upstream.calls.map((call) => call.headers['ms-continuationtoken'])).toEqual([
      'token-2',
      'token-4',
    ]);
  });
});

describe('customerDirectory nodes', () => {
  it('takes names from the list and reads qualifications once per node, never the profile', async () => {
    replyToList(
      mocked.upstream,
      '/v1/customers?size=100',
      200,
      pageJson([item(0), item(1)], 'more'),
    );
    mocked.upstream.reply(id(0), 200, [{ qualification: 'Education', vettingStatus: 'Approved' }]);
    mocked.upstream.reply(id(1), 200, []);

    const result = await mocked.gateway.execute(WITH_QUALIFICATIONS, { first: 2 });

    expect(result.body).toEqual({
      data: {
        customerDirectory: {
          edges: [
            {
              node: {
                id: id(0),
                companyName: 'Contoso One',
                qualifications: [{ qualification: 'EDUCATION' }],
              },
            },
            { node: { id: id(1), companyName: 'Contoso Two', qualifications: [] } },
          ],
        },
      },
    });
    expect(mocked.upstream.calls.map((call) => call.path)).toEqual([
      '/v1/customers?size=100',
      `/v1/customers/${id(0)}/qualifications`,
      `/v1/customers/${id(1)}/qualifications`,
    ]);
  });

  it('keeps the node whose qualifications read fails, its qualifications null with the error', async () => {
    replyToList(mocked.upstream, '/v1/customers?size=100', 200, pageJson([item(0), item(1)]));
    mocked.upstream.reply(id(0), 200, []);
    mocked.upstream.reply(id(1), 503, { code: 503, description: 'Service unavailable.' });

    const result = await mocked.gateway.execute(WITH_QUALIFICATIONS, { first: 2 });

    expect(result.body).toEqual({
      data: {
        customerDirectory: {
          edges: [
            { node: { id: id(0), companyName: 'Contoso One', qualifications: [] } },
            { node: { id: id(1), companyName: 'Contoso Two', qualifications: null } },
          ],
        },
      },
      errors: [
        {
          message: 'Partner Center is unavailable.',
          locations: [{ line: 8, column: 11 }],
          path: ['customerDirectory', 'edges', 1, 'node', 'qualifications'],
          extensions: {
            code: 'UPSTREAM_UNAVAILABLE',
            upstreamStatus: 503,
            upstreamCode: '503',
            customerId: id(1),
          },
        },
      ],
    });
  });

  it('answers an unknown relationship as OTHER', async () => {
    replyToList(
      mocked.upstream,
      '/v1/customers?size=100',
      200,
      pageJson([customerJson(id(0), 'Contoso One', 'indirect_partner')]),
    );

    const result = await mocked.gateway.execute(/* GraphQL */ `
      {
        customerDirectory(first: 1) {
          edges {
            node {
              relationshipToPartner
            }
          }
        }
      }
    `);

    expect(result.body).toEqual({
      data: { customerDirectory: { edges: [{ node: { relationshipToPartner: 'OTHER' } }] } },
    });
  });
});

describe('customerDirectory refusals', () => {
  const refused = (message: string, argumentName: string, extra: Record<string, unknown> = {}) =>
    directoryError(message, { code: 'BAD_USER_INPUT', argumentName, ...extra });

  it.each([0, 101, -1])('refuses first: %i before any call', async (first) => {
    const result = await mocked.gateway.execute(DIRECTORY, { first });

    expect(result.body).toEqual(refused('first must be between 1 and 100.', 'first'));
    expect(mocked.upstream.calls).toHaveLength(0);
  });

  it('refuses searching by name and domain at once', async () => {
    const result = await mocked.gateway.execute(DIRECTORY, { name: 'a', domain: 'b' });

    expect(result.body).toEqual(
      refused(
        'Search by companyNameStartsWith or by domainStartsWith, not both.',
        'domainStartsWith',
      ),
    );
    expect(mocked.upstream.calls).toHaveLength(0);
  });

  const notOurs = 'after is not a cursor of this directory.';
  const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const binding = bindingOf(undefined);
  it.each([
    ['not base64url', 'a cursor!'],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['another version', base64({ v: 3, b: binding, t: null, s: 100, o: 0 })],
    ['a negative offset', base64({ v: 2, b: binding, t: null, s: 100, o: -1 })],
    ['a page size over 100', base64({ v: 2, b: binding, t: 'token', s: 101, o: 0 })],
    ['a header injection', base64({ v: 2, b: binding, t: 'x\r\nx-evil: 1', s: 100, o: 0 })],
    ['a non-ASCII token', base64({ v: 2, b: binding, t: 'tökén', s: 100, o: 0 })],
  ])('refuses a cursor that is %s, before any call', async (_name, after) => {
    const result = await mocked.gateway.execute(DIRECTORY, { after });

    expect(result.body).toEqual(refused(notOurs, 'after'));
    expect(mocked.upstream.calls).toHaveLength(0);
  });

  it('refuses a cursor of another search, before any call', async () => {
    const fromContoso = cursor(nameSearch('Contoso'), 'token', 0);
    const fromVersion1 = base64({ v: 1, b: version1BindingOf(20, CONTOSO), t: 'token', o: 0 });
    const another =
      'after is a cursor of another search; use it with the same search, or start again without it.';

    for (const variables of [
      { after: fromContoso, name: 'Fabrikam' },
      { after: fromContoso, domain: 'Contoso' },
      { after: fromContoso },
      { after: fromVersion1, name: 'Fabrikam', first: 20 },
    ]) {
      const result = await mocked.gateway.execute(DIRECTORY, variables);
      expect(result.body).toEqual(refused(another, 'after'));
    }
    expect(mocked.upstream.calls).toHaveLength(0);
  });

  it('refuses a cursor whose token Partner Center does not accept', async () => {
    replyToList(
      mocked.upstream,
      nextPath(100),
      400,
      { code: 400, description: 'Invalid continuation token' },
      'forged',
    );

    const result = await mocked.gateway.execute(DIRECTORY, { after: cursor(binding, 'forged', 0) });

    expect(result.body).toEqual(
      refused(
        'Partner Center does not accept this cursor (any more); start again without after.',
        'after',
        {
          upstreamStatus: 400,
        },
      ),
    );
  });

  it.each([
    [
      'a failing list call',
      503,
      { code: 503, description: 'down' },
      'Partner Center is unavailable.',
      { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503, upstreamCode: '503' },
    ],
    [
      'a list of the wrong shape',
      200,
      { items: [{ id: '../all' }] },
      'Partner Center sent an answer the gateway cannot use.',
      { code: 'UPSTREAM_BAD_RESPONSE' },
    ],
  ])(
    'answers %s as an error on customerDirectory from the table',
    async (_name, status, body, message, extensions) => {
      replyToList(mocked.upstream, '/v1/customers?size=100', status, body);

      const result = await mocked.gateway.execute(DIRECTORY);

      expect(result.body).toEqual(directoryError(message, extensions));
    },
  );
});
