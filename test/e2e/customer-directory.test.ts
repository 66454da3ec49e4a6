import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { searchDirectory } from '../../examples/portal/src/directory-search.js';
import { bindingOf } from '../../src/directory/cursor.js';
import { seedProfiles } from '../../src/simulator/profiles.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';
import { DIRECTORY_PAGE } from '../helpers/operations.js';

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string; companyName: string } }[];
}

const profiles = seedProfiles(1000);
let running: RunningGateway;

beforeAll(async () => {
  running = await startGateway();
});
afterAll(() => running.close());
beforeEach(() => {
  running.simulator.reset();
});

/** Every page of one search, as a portal would read them. */
async function readAll(variables: Record<string, unknown>): Promise<Page[]> {
  const pages: Page[] = [];
  let after: string | null = null;
  for (;;) {
    const response = await postGraphQL(running.graphqlUrl, DIRECTORY_PAGE, { ...variables, after });
    const page = (response.body as { data: { customerDirectory: Page } }).data.customerDirectory;
    pages.push(page);
    if (!page.pageInfo.hasNextPage) return pages;
    after = page.pageInfo.endCursor;
  }
}

it('pages through all 1009 customers to the last page, each once and in order', async () => {
  const pages = await readAll({ first: 100 });

  const listed = pages.flatMap((page) =>
    page.edges.map(({ node }) => ({ id: node.id, companyName: node.companyName })),
  );
  expect(listed).toEqual(profiles.map(({ id, companyName }) => ({ id, companyName })));
  expect(pages.map((page) => page.edges.length)).toEqual([...Array<number>(10).fill(100), 9]);
  expect(pages.every((page) => page.totalCount === 1009)).toBe(true);
  expect(running.simulator.stats.routes).toEqual({ 'GET /v1/customers': 11 });
});

interface Edge {
  cursor: string;
  node: { id: string };
}

/**
 * What Apollo Client's `relayStylePagination` does with a page read `after` a cursor, in plain
 * terms: the edges up to that cursor stay, the new page's edges follow.
 */
function mergeAfter(existing: readonly Edge[], incoming: readonly Edge[], after: string | null) {
  if (after === null) return [...incoming];
  const index = existing.findIndex((edge) => edge.cursor === after);
  expect(index).toBeGreaterThanOrEqual(0);
  return [...existing.slice(0, index + 1), ...incoming];
}

it('pages on when first changes after every cursor: each customer once, in order, two list calls at most a page', async () => {
  const fixed = (await readAll({ first: 100 })).flatMap((page) =>
    page.edges.map(({ node }) => node.id),
  );
  running.simulator.reset();
  const sizes = [7, 20, 1, 13, 100, 3, 50, 99, 2, 64];
  let edges: Edge[] = [];
  let after: string | null = null;
  let expectedCalls = 0;
  let pages = 0;
  for (;;) {
    const first = sizes[pages % sizes.length] ?? 20;
    const response = await postGraphQL(running.graphqlUrl, DIRECTORY_PAGE, { first, after });
    const page = (response.body as { data: { customerDirectory: Page } }).data.customerDirectory;
    // Partner Center pages are 100 customers: these items span their first to their last one.
    const from = edges.length;
    const got = page.edges.length;
    expect(got).toBe(Math.min(first, fixed.length - from));
    expectedCalls += Math.floor((from + got - 1) / 100) - Math.floor(from / 100) + 1;
    edges = mergeAfter(edges, page.edges, after);
    pages += 1;
    if (!page.pageInfo.hasNextPage) break;
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor);
    after = page.pageInfo.endCursor;
  }

  expect(edges.map((edge) => edge.node.id)).toEqual(fixed);
  expect(new Set(edges.map((edge) => edge.node.id)).size).toBe(1009);
  expect(pages).toBe(28);
  expect(expectedCalls).toBe(36);
  expect(running.simulator.stats.routes).toEqual({ 'GET /v1/customers': expectedCalls });

  // Any edge's cursor reads on, with any first, from right after that edge.
  running.simulator.reset();
  const starts = [
    [0, 13],
    [98, 5],
    [99, 100],
    [399, 2],
    [1000, 8],
    [1007, 20],
  ] as const;
  for (const [index, first] of starts) {
    const response = await postGraphQL(running.graphqlUrl, DIRECTORY_PAGE, {
      first,
      after: edges[index]?.cursor,
    });
    const page = (response.body as { data: { customerDirectory: Page } }).data.customerDirectory;
    expect(page.edges.map(({ node }) => node.id)).toEqual(
      fixed.slice(index + 1, index + 1 + first),
    );
    expect(page.pageInfo.hasNextPage).toBe(index + 1 + first < fixed.length);
  }
  expect(running.simulator.stats.routes).toEqual({ 'GET /v1/customers': 7 });
});

it('searches by company name prefix across pages (case-insensitive, as Partner Center does)', async () => {
  const pages = await readAll({ first: 20, name: 'alpine' });

  const expected = profiles.filter((profile) => profile.companyName.startsWith('Alpine'));
  expect(expected).toHaveLength(50);
  expect(pages.flatMap((page) => page.edges.map((edge) => edge.node.id))).toEqual(
    expected.map((profile) => profile.id),
  );
  expect(pages.map((page) => page.edges.length)).toEqual([20, 20, 10]);
  // All 50 fit in one Partner Center page of 100: each directory page re-reads it and skips.
  const search =
    '/v1/customers?size=100&filter=%7B%22Field%22%3A%22CompanyName%22%2C%22Value%22%3A%22alpine%22%2C%22Operator%22%3A%22starts_with%22%7D';
  expect(running.simulator.requests.map((request) => request.path)).toEqual([
    search,
    search,
    search,
  ]);
});

it('searches by domain prefix', async () => {
  const response = await postGraphQL(running.graphqlUrl, DIRECTORY_PAGE, { domain: 'contoso' });

  const only = expect.any(String) as string;
  expect(response.body).toEqual({
    data: {
      customerDirectory: {
        totalCount: 1,
        pageInfo: { hasNextPage: false, endCursor: only },
        edges: [
          {
            cursor: only,
            node: {
              id: '10000000-0000-4000-8000-000000000001',
              companyName: 'Contoso University',
              domain: 'contosouniversity.onmicrosoft.com',
              relationshipToPartner: 'RESELLER',
            },
          },
        ],
      },
    },
  });
});

it('costs Partner Center 21 calls for a page of 20 with qualifications, and forwards the caller token', async () => {
  const response = await postGraphQL(
    running.graphqlUrl,
    /* GraphQL */ `
      {
        customerDirectory {
          edges {
            node {
              companyName
              isEducation: isQualifiedFor(qualification: EDUCATION)
              qualifications {
                qualification
                vettingStatus
              }
            }
          }
        }
      }
    `,
    {},
    { authorization: 'Bearer portal-user-token', 'x-upstream-cost': '1' },
  );

  const body = response.body as {
    data: { customerDirectory: { edges: { node: { companyName: string } }[] } };
    extensions: unknown;
  };
  expect(body.data.customerDirectory.edges.map((edge) => edge.node.companyName)).toEqual(
    profiles.slice(0, 20).map((profile) => profile.companyName),
  );
  expect(body.extensions).toEqual({
    upstreamCost: { calls: 21, deduplicated: 0, retries: 0, cacheHits: 0 },
  });
  expect(running.simulator.stats.routes).toEqual({
    'GET /v1/customers': 1,
    'GET /v1/customers/{id}/qualifications': 20,
  });
  const tokens = new Set(
    running.simulator.requests.map((request) => request.headers['authorization']),
  );
  expect([...tokens]).toEqual(['Bearer portal-user-token']);
});

it('reads a customer profile by id from the simulator, and null for an unknown one', async () => {
  const response = await postGraphQL(
    running.graphqlUrl,
    /* GraphQL */ `
      {
        known: customer(id: "c0000000-0000-4000-8000-000000000021") {
          companyName
          domain
          relationshipToPartner
        }
        unknown: customer(id: "c0000000-0000-4000-8000-000000009999") {
          companyName
        }
      }
    `,
  );

  expect(response.body).toEqual({
    data: {
      known: {
        companyName: 'Blue Yonder Insurance 0021',
        domain: 'blueyonderinsurance0021.onmicrosoft.com',
        relationshipToPartner: 'RESELLER',
      },
      unknown: null,
    },
  });
  expect(running.simulator.stats.routes).toEqual({ 'GET /v1/customers/{id}': 2 });
});

it("pages a search with the portal's Apollo Client query, typePolicies and fetchMore", async () => {
  // Pages of 3: the 8 customers come in three pages, merged by relayStylePagination.
  const rows = await searchDirectory(running.graphqlUrl, 'portal-token', 'Alpine Schools', 3);

  // Generated customer g has the simulator's sample shape g % 7; shapes 0 and 4 are Education.
  const education = (id: string) => [0, 4].includes(Number(id.slice(-12)) % 7);
  const expected = profiles
    .filter((profile) => profile.companyName.startsWith('Alpine Schools'))
    .map((profile) => `${profile.companyName}${education(profile.id) ? ' — Education' : ''}`);
  expect(expected).toHaveLength(8);
  expect(rows).toEqual(expected);
});

it('refuses a forged cursor that would add a header, sending Partner Center nothing', async () => {
  const binding = bindingOf(undefined);
  const forged = Buffer.from(
    JSON.stringify({ v: 2, b: binding, t: 'x\r\nAuthorization: Bearer stolen', s: 100, o: 0 }),
  ).toString('base64url');

  const response = await postGraphQL(running.graphqlUrl, DIRECTORY_PAGE, { after: forged });

  expect(response.body).toEqual({
    data: null,
    errors: [
      {
        message: 'after is not a cursor of this directory.',
        locations: [{ line: 3, column: 5 }],
        path: ['customerDirectory'],
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' },
      },
    ],
  });
  expect(running.simulator.requests).toEqual([]);
});
