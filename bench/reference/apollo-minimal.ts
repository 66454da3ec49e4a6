import { ApolloServer, HeaderMap } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import { parse } from 'graphql';
import { Pool } from 'undici';
import { CONNECTIONS, UPSTREAM } from './environment.js';
import { serve } from './serve.js';

/**
 * R2–R4, a minimal Apollo Server 5 federation subgraph answering W1–W3's requests: the schema
 * they select from (`customer`, `customers`, `_entities` of a `Customer @key(fields: "id")`), one
 * DataLoader per request over an undici pool, Apollo's own defaults (its cache-control plugin
 * included), on node:http without a framework. No validation of Partner Center's answers, no
 * retries, no metrics, logs or traces: what any Apollo subgraph costs before it does what the
 * gateway does. The fields are plain strings as Partner Center sends them, not the gateway's
 * enums and DateTime: the same request text, less work per field.
 */

interface Customer {
  id: string;
  qualifications: unknown[];
}

interface Context {
  customers: DataLoader<string, Customer>;
}

const typeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

  type Query {
    customer(id: ID!): Customer
    customers(ids: [ID!]!): [Customer]!
  }
  type Customer @key(fields: "id") {
    id: ID!
    qualifications: [Qualification!]!
  }
  type Qualification {
    qualification: String!
    vettingStatus: String
    vettingCreatedDate: String
  }
`);

const pool = new Pool(UPSTREAM, { connections: CONNECTIONS, pipelining: 1 });

async function readCustomer(id: string): Promise<Customer> {
  const upstream = await pool.request({
    method: 'GET',
    path: `/v1/customers/${encodeURIComponent(id)}/qualifications`,
    headers: { authorization: 'Bearer bench', accept: 'application/json' },
  });
  return { id, qualifications: (await upstream.body.json()) as unknown[] };
}

const apollo = new ApolloServer<Context>({
  // The module-list form: its resolver map takes a typed context, the legacy object's does not.
  schema: buildSubgraphSchema([
    {
      typeDefs,
      resolvers: {
        Query: {
          customer: (_parent: unknown, { id }: { id: string }, context: Context) =>
            context.customers.load(id),
          // DataLoader answers a repeated id from its per-request cache: one call per customer.
          customers: (_parent: unknown, { ids }: { ids: string[] }, context: Context) =>
            Promise.all(ids.map((id) => context.customers.load(id))),
        },
        Customer: {
          __resolveReference: (reference: { id: string }, context: Context) =>
            context.customers.load(reference.id),
        },
      },
    },
  ]),
});
await apollo.start();

serve(async (request, body) => {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const result = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: request.method ?? 'GET',
      headers,
      search: new URL(request.url ?? '/', 'http://reference').search,
      body: body === '' ? undefined : (JSON.parse(body) as unknown),
    },
    context: () =>
      Promise.resolve({
        customers: new DataLoader((ids: readonly string[]) => Promise.all(ids.map(readCustomer))),
      }),
  });
  return {
    status: result.status ?? 200,
    headers: Object.fromEntries(result.headers),
    body: result.body.kind === 'complete' ? result.body.string : '',
  };
});
