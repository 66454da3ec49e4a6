import { Pool } from 'undici';
import { CONNECTIONS, UPSTREAM } from './environment.js';
import { serve } from './serve.js';

/**
 * R1, the HTTP floor: W1's request answered by the least code that can answer it. No GraphQL:
 * take the id from the JSON body, make the one Partner Center call over an undici pool, reshape
 * the answer. What the gateway costs beyond this is GraphQL, framework and its own features.
 */

interface Qualification {
  qualification?: unknown;
  vettingStatus?: unknown;
  vettingCreatedDate?: unknown;
}

const pool = new Pool(UPSTREAM, { connections: CONNECTIONS, pipelining: 1 });

async function answer(body: string): Promise<string> {
  const { variables } = JSON.parse(body) as { variables: { id: string } };
  const upstream = await pool.request({
    method: 'GET',
    path: `/v1/customers/${encodeURIComponent(variables.id)}/qualifications`,
    headers: { authorization: 'Bearer bench', accept: 'application/json' },
  });
  const items = (await upstream.body.json()) as Qualification[];
  return JSON.stringify({
    data: {
      customer: {
        id: variables.id,
        qualifications: items.map((item) => ({
          qualification: item.qualification ?? null,
          vettingStatus: item.vettingStatus ?? null,
          vettingCreatedDate: item.vettingCreatedDate ?? null,
        })),
      },
    },
  });
}

serve(async (_request, body) => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: await answer(body),
}));
