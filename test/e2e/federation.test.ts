import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadTypeDefs } from '../../src/graphql/schema.js';
import { generatedCustomerId, SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';

const UNIQUE = 40;
const REFERENCES = 100;

/** A second subgraph that owns `Customer.displayName` and lists customers by reference. */
const CRM_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

  type Query {
    "The partner's most active customers, possibly repeated."
    topCustomers(count: Int!): [Customer!]!
  }

  type Customer @key(fields: "id") {
    id: ID!
    "Name from the partner's CRM."
    displayName: String!
  }
`;

// Generated customers cycle through the simulator's seven documented sample shapes.
const SHAPES = [
  { kinds: ['EDUCATION'], education: true },
  { kinds: ['EDUCATION'], education: false },
  { kinds: ['EDUCATION'], education: false },
  { kinds: ['STATE_OWNED_ENTITY'], education: false },
  { kinds: ['EDUCATION', 'STATE_OWNED_ENTITY'], education: true },
  { kinds: ['GOVERNMENT_COMMUNITY_CLOUD', 'STATE_OWNED_ENTITY'], education: false },
  { kinds: [], education: false },
];

let qualifications: RunningGateway;
let crm: ApolloServer;
let router: ApolloServer;

beforeAll(async () => {
  qualifications = await startGateway();

  crm = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(CRM_SDL),
      resolvers: {
        Query: {
          topCustomers: (_parent: unknown, { count }: { count: number }) =>
            Array.from({ length: count }, (_, n) => ({ id: generatedCustomerId(n % UNIQUE) })),
        },
        Customer: {
          displayName: ({ id }: { id: string }) => `Customer ${String(Number(id.slice(-12)))}`,
        },
      },
    }),
  });
  const { url: crmUrl } = await startStandaloneServer(crm, {
    listen: { port: 0, host: '127.0.0.1' },
  });

  const composed = composeServices([
    { name: 'qualifications', typeDefs: loadTypeDefs(), url: qualifications.graphqlUrl },
    { name: 'crm', typeDefs: parse(CRM_SDL), url: crmUrl },
  ]);
  if (composed.errors !== undefined) throw new Error(composed.errors.map(String).join('\n'));

  router = new ApolloServer({
    gateway: new ApolloGateway({
      supergraphSdl: composed.supergraphSdl,
      buildService: ({ url }) =>
        new RemoteGraphQLDataSource({
          ...(url === undefined ? {} : { url }),
          willSendRequest({ request }) {
            request.http?.headers.set('authorization', 'Bearer router-forwarded-token');
          },
        }),
    }),
  });
  await router.start();
});

afterAll(async () => {
  await router.stop();
  await crm.stop();
  await qualifications.close();
});

it(`resolves ${REFERENCES} Customer references with one upstream call per unique customer`, async () => {
  const response = await router.executeOperation({
    query: /* GraphQL */ `
      query TopCustomers($count: Int!) {
        topCustomers(count: $count) {
          id
          displayName
          isEducation: isQualifiedFor(qualification: EDUCATION)
          qualifications {
            qualification
          }
        }
      }
    `,
    variables: { count: REFERENCES },
  });

  if (response.body.kind !== 'single') throw new Error('expected a single result');
  expect(response.body.singleResult).toEqual({
    data: {
      topCustomers: Array.from({ length: REFERENCES }, (_, n) => {
        const shape = SHAPES[(n % UNIQUE) % SHAPES.length];
        return {
          id: generatedCustomerId(n % UNIQUE),
          displayName: `Customer ${n % UNIQUE}`,
          isEducation: shape?.education,
          qualifications: shape?.kinds.map((qualification) => ({ qualification })),
        };
      }),
    },
  });
  expect(qualifications.simulator.stats.reads).toBe(UNIQUE);
  const tokens = new Set(qualifications.simulator.requests.map((r) => r.headers['authorization']));
  expect([...tokens]).toEqual(['Bearer router-forwarded-token']);
});

it('composes with another subgraph that also answers company names and domains', () => {
  const crmWithNames = /* GraphQL */ `
    extend schema
      @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable"])

    type Customer @key(fields: "id") {
      id: ID!
      "The name the CRM holds."
      companyName: String @shareable
      "The domain the CRM holds."
      domain: String @shareable
    }

    "A page of some other connection."
    type PageInfo @shareable {
      hasNextPage: Boolean!
      endCursor: String
    }
  `;

  const composed = composeServices([
    { name: 'qualifications', typeDefs: loadTypeDefs(), url: qualifications.graphqlUrl },
    { name: 'crm', typeDefs: parse(crmWithNames), url: 'http://crm.invalid/graphql' },
  ]);

  expect(composed.errors).toBeUndefined();
});

it('pages the directory through the router, joining another subgraph on its nodes', async () => {
  const response = await router.executeOperation({
    query: /* GraphQL */ `
      {
        customerDirectory(first: 3) {
          pageInfo {
            hasNextPage
          }
          edges {
            node {
              id
              companyName
              displayName
            }
          }
        }
      }
    `,
  });

  if (response.body.kind !== 'single') throw new Error('expected a single result');
  expect(response.body.singleResult).toEqual({
    data: {
      customerDirectory: {
        pageInfo: { hasNextPage: true },
        edges: [
          {
            node: {
              id: SAMPLE_CUSTOMER_IDS.educationApproved,
              companyName: 'Contoso University',
              displayName: 'Customer 1',
            },
          },
          {
            node: {
              id: SAMPLE_CUSTOMER_IDS.educationInReview,
              companyName: 'Fabrikam School District',
              displayName: 'Customer 2',
            },
          },
          {
            node: {
              id: SAMPLE_CUSTOMER_IDS.educationDenied,
              companyName: 'Northwind Traders Academy',
              displayName: 'Customer 3',
            },
          },
        ],
      },
    },
  });
});
