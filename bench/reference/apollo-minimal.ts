import { ApolloServer, HeaderMap } from '@apollo/server';
import DataLoader from 'dataloader';
import { Pool } from 'undici';
import { CONNECTIONS, UPSTREAM } from './environment.js';
import { serve } from './serve.js';

/**
 * R2, a minimal Apollo Server 5 subgraph answering W1: the schema W1 needs, one DataLoader per
 * request over an undici pool, Apollo's own defaults (its cache-control plugin included), on
 * node:http without a framework. No validation of Partner Center's answers, no retries, no
 * metrics, logs or traces: what any Apollo Server costs before it does what the gateway does.
 */

interface Customer {
  id: string;
  qualifications: unknown[];
}

interface Context {
  customers: DataLoader<string, Customer>;
}

const typeDefs = /* GraphQL */ `
  type Query {
    customer(id: ID!): Customer
  }
  type Customer {
    id: ID!
    qualifications: [Qualification!]!
  }
  type Qualification {
    qualification: String!
    vettingStatus: String
    vettingCreatedDate: String
  }
`;

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
  typeDefs,
  resolvers: {
    Query: {
      customer: (_parent: unknown, { id }: { id: string }, context: Context) =>
        context.customers.load(id),
    },
  },
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
