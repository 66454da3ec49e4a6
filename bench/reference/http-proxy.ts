import { createServer } from 'node:http';
import { Pool } from 'undici';
import { CONNECTIONS, HOST, PORT, UPSTREAM } from './environment.js';

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

const server = createServer((request, response) => {
  if (request.method !== 'POST') {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
    return;
  }
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => (body += chunk));
  request.on('end', () => {
    void answer(body).then(
      (json) => {
        response.writeHead(200, { 'content-type': 'application/json' }).end(json);
      },
      () => {
        response.writeHead(502).end();
      },
    );
  });
});

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

server.listen(PORT, HOST);
