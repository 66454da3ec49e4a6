import { once } from 'node:events';
import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { postGraphQL, startGateway, type GraphQLResponse } from '../helpers/gateway.js';
import { killMainProcesses, startMain } from '../helpers/main-process.js';

afterEach(killMainProcesses);

const CUSTOMER = SAMPLE_CUSTOMER_IDS.stateOwnedEntity;
const QUERY = /* GraphQL */ `
  query Qualifications($id: ID!) {
    customer(id: $id) {
      qualifications {
        qualification
      }
    }
  }
`;
const ANSWER = {
  data: { customer: { qualifications: [{ qualification: 'STATE_OWNED_ENTITY' }] } },
};

type Outcome =
  | {
      kind: 'answered';
      status: number;
      connection: string | undefined;
      body: unknown;
      socket: Socket;
    }
  /** Never on the wire: the connection was refused (the gateway no longer listens). */
  | { kind: 'not-sent'; code: string }
  /** Written, then the connection failed before a whole answer came back. */
  | { kind: 'unanswered'; code: string };

/** One POST on a keep-alive agent, telling apart "never sent" from "sent and never answered". */
function send(url: URL, agent: Agent, body: string): Promise<Outcome> {
  return new Promise((resolve) => {
    let written = false;
    const failed = (error: NodeJS.ErrnoException) => {
      const code = error.code ?? error.message;
      resolve(
        written || code !== 'ECONNREFUSED'
          ? { kind: 'unanswered', code }
          : { kind: 'not-sent', code },
      );
    };
    const outgoing = request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    outgoing.once('finish', () => (written = true));
    outgoing.once('error', failed);
    outgoing.once('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', failed);
      response.once('end', () => {
        resolve({
          kind: 'answered',
          status: response.statusCode ?? 0,
          connection: response.headers.connection,
          body: JSON.parse(Buffer.concat(chunks).toString()) as unknown,
          socket: outgoing.socket as Socket,
        });
      });
    });
    outgoing.end(body);
  });
}

/**
 * `clients` callers each sending one request after the other over a shared keep-alive agent, as
 * a router does, until their connection is refused (or `deadline`).
 */
function closedLoop(url: URL, clients: number, deadline: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const body = JSON.stringify({ query: QUERY, variables: { id: CUSTOMER } });
  const outcomes: Outcome[] = [];
  const answeredPerClient = Array.from({ length: clients }, () => 0);
  const loop = async (client: number) => {
    while (Date.now() < deadline) {
      const outcome = await send(url, agent, body);
      outcomes.push(outcome);
      if (outcome.kind !== 'answered') return;
      answeredPerClient[client] = (answeredPerClient[client] ?? 0) + 1;
    }
  };
  const loops = Promise.all(Array.from({ length: clients }, (_, client) => loop(client)));
  return {
    /** How many answers the client with the fewest has had. */
    fewestAnswers: () => Math.min(...answeredPerClient),
    done: loops.then(() => {
      agent.destroy();
      return outcomes;
    }),
  };
}

it('answers every request written on a keep-alive connection across SIGTERM, the last one with Connection: close', async () => {
  const main = startMain({ PORT: '0', HOST: '127.0.0.1' });
  const url = new URL(await main.listening);
  // Answered from the cache from now on: admission, which learns Partner Center's round trip on
  // a loaded test machine, has nothing to refuse, and only shutdown is tested here.
  expect((await postGraphQL(url.href, QUERY, { id: CUSTOMER }, {})).body).toEqual(ANSWER);
  // The deadline only stops a loop that the gateway never refuses; a loaded machine is slow.
  const loop = closedLoop(url, 100, Date.now() + 45_000);
  // Every client has its connection, and has been answered on it, before the signal.
  while (loop.fewestAnswers() < 1) await new Promise((resolve) => setTimeout(resolve, 10));

  main.child.kill('SIGTERM');
  const outcomes = await loop.done;
  const [code] = (await once(main.child, 'close')) as [number | null];

  const answered = outcomes.filter((outcome) => outcome.kind === 'answered');
  const unanswered = outcomes.filter((outcome) => outcome.kind === 'unanswered');
  expect(unanswered, `${answered.length + unanswered.length} written`).toEqual([]);
  expect(answered.filter((outcome) => outcome.status !== 200 || !same(outcome.body))).toEqual([]);
  // Each client ends with its connection refused, after an answer that asked it to close.
  expect(outcomes.filter((outcome) => outcome.kind === 'not-sent')).toHaveLength(100);
  const lastOnSocket = new Map<Socket, string | undefined>();
  for (const outcome of answered) lastOnSocket.set(outcome.socket, outcome.connection);
  expect(lastOnSocket.size).toBe(100);
  expect([...lastOnSocket.values()].filter((connection) => connection !== 'close')).toEqual([]);
  expect(code).toBe(0);
}, 60_000);

function same(body: unknown): boolean {
  return JSON.stringify(body) === JSON.stringify(ANSWER);
}

/** A Partner Center that takes every request and never answers, counting what it holds. */
async function hangingUpstream() {
  const held = new Set<IncomingMessage>();
  let received = 0;
  let abandoned = 0;
  const server: Server = createServer((incoming) => {
    received += 1;
    held.add(incoming);
    incoming.socket.once('close', () => {
      if (held.delete(incoming)) abandoned += 1;
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => received,
    abandoned: () => abandoned,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

it('answers every operation still waiting on Partner Center when the grace ends, then exits', async () => {
  const upstream = await hangingUpstream();
  const graceMs = 1_000;
  try {
    const main = startMain({
      PORT: '0',
      HOST: '127.0.0.1',
      PARTNER_CENTER_BASE_URL: upstream.url,
      SHUTDOWN_GRACE_MS: String(graceMs),
      OPERATION_TIMEOUT_MS: '60000',
      UPSTREAM_TIMEOUT_MS: '60000',
      UPSTREAM_MAX_CONCURRENCY: '256',
      CACHE_ENABLED: 'false',
    });
    const url = await main.listening;
    const operations = Array.from({ length: 200 }, (_, index) =>
      postGraphQL(url, QUERY, {
        id: `c0000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      }).then(
        (response) => ({ response, at: Date.now() }),
        (error: unknown) => ({ error, at: Date.now() }),
      ),
    );
    while (upstream.received() < 200) await new Promise((resolve) => setTimeout(resolve, 20));

    const signalled = Date.now();
    main.child.kill('SIGTERM');
    const closed = once(main.child, 'close');
    const results = await Promise.all(operations);
    const [code] = (await closed) as [number | null];

    const shapes = results.map((result) =>
      'response' in result ? shape(result.response) : { error: String(result.error) },
    );
    expect(shapes).toEqual(
      Array.from({ length: 200 }, (_, index) => ({
        status: 200,
        connection: 'close',
        body: {
          // The customer stays; only the field its cut read would have answered is null.
          data: { customer: { qualifications: null } },
          errors: [
            {
              message:
                'The gateway is shutting down and stopped waiting for Partner Center; retry.',
              locations: [{ line: 4, column: 7 }],
              path: ['customer', 'qualifications'],
              extensions: {
                code: 'SHUTTING_DOWN',
                customerId: `c0000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
              },
            },
          ],
        },
      })),
    );
    expect(upstream.received()).toBe(200);
    expect(upstream.abandoned()).toBe(200);
    // Answered once the grace was over, not before.
    for (const result of results)
      expect(result.at - signalled).toBeGreaterThanOrEqual(graceMs - 50);
    const timeline = main.lines
      .filter((line) => line['msg'] !== 'graphql operation')
      .map((line) => `${Number(line['time']) - signalled} ms: ${String(line['msg'])}`);
    // 0: the gateway ended by itself, within its bound of the grace plus CUT_ANSWER_MS.
    expect(code, timeline.join('\n')).toBe(0);
  } finally {
    upstream.close();
  }
}, 60_000);

function shape(response: GraphQLResponse) {
  const body = response.body as { errors?: { extensions?: Record<string, unknown> }[] };
  for (const error of body.errors ?? []) delete error.extensions?.['stacktrace'];
  return { status: response.status, connection: response.headers.get('connection'), body };
}

it('does not wait on a connection that never sent a byte (a preconnect): SIGTERM exits after the linger, not the grace', async () => {
  const main = startMain({ PORT: '0', HOST: '127.0.0.1', SHUTDOWN_GRACE_MS: '120000' });
  const url = new URL(await main.listening);
  const preconnect = connect(Number(url.port), url.hostname);
  await once(preconnect, 'connect');
  const preconnectClosed = once(preconnect, 'close');

  main.child.kill('SIGTERM');
  const [code] = (await once(main.child, 'close')) as [number | null];

  await preconnectClosed;
  // Closed by the gateway without a word: no error page for a request that never came.
  expect(preconnect.bytesRead).toBe(0);
  expect(code).toBe(0);
}, 30_000);

it('closes in process with a connection open that never sent a byte, and closes that connection', async () => {
  const running = await startGateway();
  const url = new URL(running.origin);
  const preconnect = connect(Number(url.port), url.hostname);
  await once(preconnect, 'connect');
  const preconnectClosed = once(preconnect, 'close');

  await running.close();

  await preconnectClosed;
  expect(preconnect.bytesRead).toBe(0);
});
