import {
  ApolloClient,
  gql,
  HttpLink,
  InMemoryCache,
  type NormalizedCacheObject,
} from '@apollo/client/core/index.js';
import { relayStylePagination } from '@apollo/client/utilities/index.js';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { seedProfiles } from '../../src/simulator/profiles.js';
import { until } from '../helpers/cache.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';

// Apollo Client 3 used exactly as docs/frontends-and-apollo-client.md tells a frontend team to.

const DOC = readFileSync('docs/frontends-and-apollo-client.md', 'utf8');
const profiles = seedProfiles(1000);
const FABRIKAM = '10000000-0000-4000-8000-000000000002';
let running: RunningGateway;

beforeAll(async () => {
  running = await startGateway();
});
afterAll(() => running.close());
beforeEach(() => {
  running.simulator.reset();
});

/** The cache of the doc's setup. */
function docCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      Customer: { keyFields: ['id'] },
      Query: {
        fields: {
          customer: {
            read(existing: unknown, { args, toReference }) {
              return existing !== undefined || typeof args?.['id'] !== 'string'
                ? existing
                : toReference({ __typename: 'Customer', id: args['id'].toLowerCase() });
            },
          },
          customerDirectory: relayStylePagination(['companyNameStartsWith', 'domainStartsWith']),
        },
      },
    },
  });
}

function docClient(): ApolloClient<NormalizedCacheObject> {
  return new ApolloClient({
    link: new HttpLink({ uri: running.graphqlUrl, headers: { authorization: 'Bearer e2e-token' } }),
    cache: docCache(),
    clientAwareness: { name: 'partner-portal', version: '1.0.0' },
  });
}

/** Partner Center calls answered since the last reset, by route template. */
const routes = () => ({ ...running.simulator.stats.routes });

const DIRECTORY = gql`
  query Directory($first: Int, $after: String) {
    customerDirectory(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          companyName
        }
      }
    }
  }
`;

const DIRECTORY_WITH_QUALIFICATIONS = gql`
  query DirectoryWithQualifications($first: Int) {
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

const CUSTOMER_NAME = gql`
  query CustomerName($id: ID!) {
    customer(id: $id) {
      id
      companyName
    }
  }
`;

const CUSTOMER_QUALIFICATIONS = gql`
  query CustomerQualifications($id: ID!) {
    customer(id: $id) {
      id
      qualifications {
        qualification
      }
    }
  }
`;

it('is the setup the frontends doc shows', () => {
  for (const line of [
    "Customer: { keyFields: ['id'] }",
    "toReference({ __typename: 'Customer', id: args.id.toLowerCase() })",
    "customerDirectory: relayStylePagination(['companyNameStartsWith', 'domainStartsWith'])",
    "defaultOptions: { watchQuery: { errorPolicy: 'all' }, query: { errorPolicy: 'all' } }",
    "clientAwareness: { name: 'partner-portal', version: '1.0.0' }",
    "fetchPolicy: 'network-only'",
    "context: { headers: { 'cache-control': 'no-cache' } }",
  ]) {
    expect(DOC).toContain(line);
  }
});

it('answers customer(id:) in upper case from the cache a directory page filled', async () => {
  const client = docClient();
  await client.query({ query: DIRECTORY, variables: { first: 3 } });
  const before = routes();

  const result = await client.query({
    query: CUSTOMER_NAME,
    variables: { id: FABRIKAM.toUpperCase() },
  });

  expect(result.data).toEqual({
    customer: { __typename: 'Customer', id: FABRIKAM, companyName: 'Fabrikam School District' },
  });
  expect(routes()).toEqual(before);
});

it('pages the directory with relayStylePagination while the page size changes', async () => {
  const client = docClient();
  const query = client.watchQuery({ query: DIRECTORY, variables: { first: 7 } });
  const subscription = query.subscribe(() => undefined);
  await until(() => !query.getCurrentResult().loading);
  const endCursorOf = (data: unknown) =>
    (data as { customerDirectory: { pageInfo: { endCursor: string } } }).customerDirectory.pageInfo
      .endCursor;
  await query.fetchMore({
    variables: { first: 20, after: endCursorOf(query.getCurrentResult().data) },
  });
  await query.fetchMore({
    variables: { first: 1, after: endCursorOf(query.getCurrentResult().data) },
  });

  const names = (
    query.getCurrentResult().data as {
      customerDirectory: { edges: { node: { companyName: string } }[] };
    }
  ).customerDirectory.edges.map((edge) => edge.node.companyName);
  subscription.unsubscribe();
  expect(names).toEqual(profiles.slice(0, 28).map((profile) => profile.companyName));
  // Three pages inside Partner Center's first page of 100: one list call each.
  expect(routes()).toEqual({ 'GET /v1/customers': 3 });
});

it("keeps the page when one customer's read fails with errorPolicy 'all', and blanks it without", async () => {
  running.simulator.setFault(FABRIKAM, 'forbidden');
  const client = docClient();

  const kept = await client.query({
    query: DIRECTORY_WITH_QUALIFICATIONS,
    variables: { first: 3 },
    errorPolicy: 'all',
  });

  const education = [{ __typename: 'CustomerQualification', qualification: 'EDUCATION' }];
  const node = (id: string, companyName: string, qualifications: unknown) => ({
    __typename: 'CustomerEdge',
    node: { __typename: 'Customer', id, companyName, qualifications },
  });
  expect(kept.data).toEqual({
    customerDirectory: {
      __typename: 'CustomerConnection',
      edges: [
        node('10000000-0000-4000-8000-000000000001', 'Contoso University', education),
        node(FABRIKAM, 'Fabrikam School District', null),
        node('10000000-0000-4000-8000-000000000003', 'Northwind Traders Academy', education),
      ],
    },
  });
  // client.query in Apollo Client 3 reports them only here (useQuery also as `error`).
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  expect(kept.errors?.map(({ path, extensions }) => ({ path, extensions }))).toEqual([
    {
      path: ['customerDirectory', 'edges', 1, 'node', 'qualifications'],
      extensions: {
        code: 'FORBIDDEN',
        upstreamStatus: 403,
        upstreamCode: '20002',
        customerId: FABRIKAM,
      },
    },
  ]);
  await expect(
    docClient().query({ query: DIRECTORY_WITH_QUALIFICATIONS, variables: { first: 3 } }),
  ).rejects.toThrow();
});

it('refreshes a customer from Partner Center with Cache-Control: no-cache, and only with it', async () => {
  const client = docClient();
  await client.query({ query: CUSTOMER_QUALIFICATIONS, variables: { id: FABRIKAM } });
  const read = 'GET /v1/customers/{id}/qualifications';
  expect(routes()).toEqual({ [read]: 1 });

  await client.query({
    query: CUSTOMER_QUALIFICATIONS,
    variables: { id: FABRIKAM },
    fetchPolicy: 'network-only',
  });
  expect(routes()).toEqual({ [read]: 1 });

  const refreshed = await client.query({
    query: CUSTOMER_QUALIFICATIONS,
    variables: { id: FABRIKAM },
    fetchPolicy: 'network-only',
    context: { headers: { 'cache-control': 'no-cache' } },
  });
  expect(routes()).toEqual({ [read]: 2 });
  expect(refreshed.data).toEqual({
    customer: {
      __typename: 'Customer',
      id: FABRIKAM,
      qualifications: [{ __typename: 'CustomerQualification', qualification: 'EDUCATION' }],
    },
  });
});
