import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { IncomingHttpHeaders } from 'node:http';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTypeDefs } from '../../src/graphql/schema.js';
import { generatedCustomerId, SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';
import { PROPAGATED_HEADERS, startHiveGateway, type HiveGateway } from '../helpers/hive-gateway.js';

const UNIQUE = 40;
const REFERENCES = 100;
/** A customer the CRM knows and Partner Center does not (the simulator has no such customer). */
const UNKNOWN = 'd0000000-0000-4000-8000-00000000000d';
const TOKEN = 'Bearer router-forwarded-token';
const CORRELATION_ID = '5d0c7a3e-1b2f-4c8d-9e6a-7f1b2c3d4e5f';

/** A second subgraph: the partner's CRM, which owns `Customer.displayName` and lists customers. */
const CRM_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

  type Query {
    "The customers with these ids, in order, as the CRM knows them."
    pickCustomers(ids: [ID!]!): [Customer!]!
  }

  type Customer @key(fields: "id") {
    id: ID!
    "Name from the partner's CRM."
    displayName: String!
  }
`;

const NAMES: Record<string, string> = {
  [SAMPLE_CUSTOMER_IDS.educationApproved]: 'Contoso School District',
  [SAMPLE_CUSTOMER_IDS.stateOwnedEntity]: 'Northwind State Agency',
  [UNKNOWN]: 'Fabrikam (CRM only)',
};
const displayName = (id: string) => NAMES[id] ?? `Customer ${String(Number(id.slice(-12)))}`;

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
let apolloRouter: ApolloServer<{ headers: IncomingHttpHeaders }>;
let apolloRouterUrl: string;
let hive: HiveGateway;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  qualifications = await startGateway();
  stops.push(() => qualifications.close());

  crm = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(CRM_SDL),
      resolvers: {
        Query: {
          pickCustomers: (_parent: unknown, { ids }: { ids: string[] }) =>
            ids.map((id) => ({ id })),
        },
        Customer: { displayName: ({ id }: { id: string }) => displayName(id) },
      },
    }),
  });
  const { url: crmUrl } = await startStandaloneServer(crm, {
    listen: { port: 0, host: '127.0.0.1' },
  });
  stops.push(() => crm.stop());

  const composed = composeServices([
    { name: 'qualifications', typeDefs: loadTypeDefs(), url: qualifications.graphqlUrl },
    { name: 'crm', typeDefs: parse(CRM_SDL), url: crmUrl },
  ]);
  if (composed.errors !== undefined) throw new Error(composed.errors.map(String).join('\n'));

  // Both routers run the same supergraph and forward the same headers.
  apolloRouter = new ApolloServer({
    gateway: new ApolloGateway({
      supergraphSdl: composed.supergraphSdl,
      buildService: ({ url }) =>
        new RemoteGraphQLDataSource<{ headers: IncomingHttpHeaders }>({
          ...(url === undefined ? {} : { url }),
          willSendRequest({ request, context }) {
            // Health checks and schema loads come without a client request.
            const { headers } = context as { headers?: IncomingHttpHeaders };
            for (const name of PROPAGATED_HEADERS) {
              const value = headers?.[name];
              if (typeof value === 'string') request.http?.headers.set(name, value);
            }
          },
        }),
    }),
  });
  ({ url: apolloRouterUrl } = await startStandaloneServer(apolloRouter, {
    listen: { port: 0, host: '127.0.0.1' },
    context: ({ req }) => Promise.resolve({ headers: req.headers }),
  }));
  stops.push(() => apolloRouter.stop());
  hive = await startHiveGateway(composed.supergraphSdl);
  stops.push(() => hive.stop());
}, 120_000);

afterAll(async () => {
  // Whatever beforeAll got to start, newest first.
  for (const stop of stops.reverse()) await stop();
});

const routers = [
  { name: '@apollo/gateway', url: () => apolloRouterUrl },
  { name: 'Hive Gateway', url: () => hive.graphqlUrl },
];

describe.each(routers)('through $name', ({ url }) => {
  it(`resolves ${REFERENCES} Customer references with one upstream call per unique customer`, async () => {
    qualifications.simulator.reset();
    const ids = Array.from({ length: REFERENCES }, (_, n) => generatedCustomerId(n % UNIQUE));

    const response = await postGraphQL(
      url(),
      /* GraphQL */ `
        query Pick($ids: [ID!]!) {
          pickCustomers(ids: $ids) {
            id
            displayName
            isEducation: isQualifiedFor(qualification: EDUCATION)
            qualifications {
              qualification
            }
          }
        }
      `,
      { ids },
      { authorization: TOKEN },
    );

    expect(response.body).toEqual({
      data: {
        pickCustomers: ids.map((id, n) => {
          const shape = SHAPES[(n % UNIQUE) % SHAPES.length];
          return {
            id,
            displayName: `Customer ${n % UNIQUE}`,
            isEducation: shape?.education,
            qualifications: shape?.kinds.map((qualification) => ({ qualification })),
          };
        }),
      },
    });
    expect(qualifications.simulator.stats.reads).toBe(UNIQUE);
    const tokens = new Set(
      qualifications.simulator.requests.map((request) => request.headers['authorization']),
    );
    expect([...tokens]).toEqual([TOKEN]);
  });

  it('keeps the whole answer when the CRM lists a customer Partner Center does not know', async () => {
    qualifications.simulator.reset();

    const response = await postGraphQL(
      url(),
      /* GraphQL */ `
        query Join($ids: [ID!]!, $other: ID!) {
          pickCustomers(ids: $ids) {
            id
            displayName
            knownToPartnerCenter
            isEducation: isQualifiedFor(qualification: EDUCATION)
            qualifications {
              qualification
              vettingStatus
            }
          }
          customer(id: $other) {
            id
          }
        }
      `,
      {
        ids: [SAMPLE_CUSTOMER_IDS.educationApproved, UNKNOWN, SAMPLE_CUSTOMER_IDS.stateOwnedEntity],
        other: SAMPLE_CUSTOMER_IDS.educationInReview,
      },
      { authorization: TOKEN, 'ms-correlationid': CORRELATION_ID },
    );

    expect([response.status, response.body]).toEqual([
      200,
      {
        data: {
          pickCustomers: [
            {
              id: SAMPLE_CUSTOMER_IDS.educationApproved,
              displayName: 'Contoso School District',
              knownToPartnerCenter: true,
              isEducation: true,
              qualifications: [{ qualification: 'EDUCATION', vettingStatus: 'APPROVED' }],
            },
            {
              id: UNKNOWN,
              displayName: 'Fabrikam (CRM only)',
              knownToPartnerCenter: false,
              isEducation: false,
              qualifications: [],
            },
            {
              id: SAMPLE_CUSTOMER_IDS.stateOwnedEntity,
              displayName: 'Northwind State Agency',
              knownToPartnerCenter: true,
              isEducation: false,
              qualifications: [{ qualification: 'STATE_OWNED_ENTITY', vettingStatus: null }],
            },
          ],
          customer: { id: SAMPLE_CUSTOMER_IDS.educationInReview },
        },
      },
    ]);
    expect(qualifications.simulator.stats.reads).toBe(4);
    const seen = qualifications.simulator.requests.map((request) => [
      request.headers['authorization'],
      request.headers['ms-correlationid'],
    ]);
    expect(seen).toEqual(Array.from({ length: 4 }, () => [TOKEN, CORRELATION_ID]));
  });

  it('pages the directory through the router, joining the CRM on its nodes', async () => {
    qualifications.simulator.reset();

    const response = await postGraphQL(
      url(),
      /* GraphQL */ `
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
      {},
      { authorization: TOKEN },
    );

    expect(response.body).toEqual({
      data: {
        customerDirectory: {
          pageInfo: { hasNextPage: true },
          edges: [
            {
              node: {
                id: SAMPLE_CUSTOMER_IDS.educationApproved,
                companyName: 'Contoso University',
                displayName: 'Contoso School District',
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
    // One list call, no qualification or profile reads: the nodes' names came with the page.
    expect(qualifications.simulator.stats.reads).toBe(0);
  });
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
