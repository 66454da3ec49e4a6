import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { getEventListeners } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient } from '../../src/partner-center/http-client.js';
import {
  createInFlightLimit,
  NO_LIMIT,
  type InFlightLimit,
  type SlotEnd,
} from '../../src/partner-center/in-flight-limit.js';
import { createResilience } from '../../src/partner-center/resilience.js';
import type { CallContext } from '../../src/partner-center/types.js';
import { UpstreamError } from '../../src/partner-center/upstream-error.js';
import { captureLogs } from '../helpers/log-capture.js';

/**
 * The HTTP client against a loopback Partner Center that misbehaves at each stage of an answer:
 * before its headers, in the middle of its body, by closing the connection, by sending too much.
 */

type Behaviour = (request: IncomingMessage, response: ServerResponse) => void;

interface FakeUpstream {
  readonly origin: string;
  /** Paths of the requests that reached it, in order. */
  readonly paths: string[];
  /** Resolves when `count` requests have arrived. */
  arrived(count: number): Promise<void>;
  /** Resolves when the connection of the `index`-th request (0-based) has closed. */
  closed(index: number): Promise<void>;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fakeUpstream(behaviours: Record<string, Behaviour>): Promise<FakeUpstream> {
  const paths: string[] = [];
  const closes: Promise<void>[] = [];
  const waiting: { count: number; resolve: () => void }[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? '');
    closes.push(new Promise((resolve) => request.socket.once('close', () => resolve())));
    for (const waiter of waiting) if (paths.length >= waiter.count) waiter.resolve();
    const behaviour = behaviours[request.url ?? ''];
    if (behaviour === undefined) response.writeHead(500).end();
    else behaviour(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  );
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    paths,
    arrived: (count) =>
      paths.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiting.push({ count, resolve })),
    closed: async (index) => {
      await closes[index];
    },
  };
}

interface ClientOptions {
  readonly timeoutMs?: number;
  readonly maxBodyBytes?: number;
  readonly retries?: number;
  readonly inFlight?: InFlightLimit;
  readonly pool?: Pool;
}

function client(upstream: FakeUpstream, options: ClientOptions = {}) {
  const pool = options.pool ?? new Pool(upstream.origin);
  cleanups.push(() => pool.destroy());
  const logs = captureLogs('debug');
  const http: HttpClient = createHttpClient({
    baseUrl: new URL(upstream.origin),
    dispatcher: pool,
    timeoutMs: options.timeoutMs ?? 10_000,
    logger: logs.logger,
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    inFlight: options.inFlight,
    resilience: createResilience({
      retries: options.retries ?? 0,
      retryBaseMs: 1,
      retryAfterMaxMs: 0,
      breakerThreshold: 1000,
      breakerHalfOpenMs: 1000,
    }),
  });
  /** Status of the failed attempts, as their log lines give it. */
  const failedStatuses = () =>
    logs
      .entries()
      .filter((entry) => entry['msg'] === 'partner center call failed')
      .map((entry) => entry['status']);
  return { http, failedStatuses };
}

function call(signal = new AbortController().signal): CallContext {
  return {
    authorize: () => Promise.resolve('Bearer test'),
    correlationId: '00000000-0000-4000-8000-000000000000',
    forwardedHeaders: {},
    signal,
  };
}

const get = (path: string) => ({ method: 'GET' as const, path, route: `GET ${path}` });

async function failure(answer: Promise<unknown>): Promise<UpstreamError> {
  const error = await answer.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof UpstreamError))
    throw new Error(`expected an UpstreamError: ${String(error)}`);
  return error;
}

/** Headers and the first part of a body that never ends. */
const halfBody: Behaviour = (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
  response.write('{"items":[');
};

/** Resolves once undici has the headers of a response (before the client's handler sees them). */
function headersReceived(): Promise<void> {
  return new Promise((resolve) => {
    const onHeaders = () => {
      unsubscribe('undici:request:headers', onHeaders);
      resolve();
    };
    subscribe('undici:request:headers', onHeaders);
  });
}

describe('http client: reading the answer', () => {
  it('reads a body that arrives in several chunks, up to exactly the limit', async () => {
    const body = JSON.stringify({ items: ['a'.repeat(40)] });
    const upstream = await fakeUpstream({
      '/split': (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write(body.slice(0, 10));
        setImmediate(() => response.end(body.slice(10)));
      },
    });
    const { http } = client(upstream, { maxBodyBytes: body.length });

    await expect(http.send(get('/split'), call())).resolves.toEqual({
      status: 200,
      json: { items: ['a'.repeat(40)] },
    });
  });

  it('ends a body over the limit as bad-response and drops the connection', async () => {
    const upstream = await fakeUpstream({
      '/huge': (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('x'.repeat(60));
        response.write('x'.repeat(60));
      },
    });
    const { http } = client(upstream, { maxBodyBytes: 100 });

    const error = await failure(http.send(get('/huge'), call()));

    expect(error.kind).toBe('bad-response');
    expect(error.message).toBe('response body larger than 100 bytes');
    await upstream.closed(0);
  });

  it('hands Retry-After of a 429 to the error', async () => {
    const upstream = await fakeUpstream({
      '/throttled': (_request, response) => {
        response.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' });
        response.end('{"code":"2000","description":"slow down"}');
      },
    });
    const { http } = client(upstream);

    const error = await failure(http.send(get('/throttled'), call()));

    expect(error).toMatchObject({ kind: 'status', status: 429, retryAfterSeconds: 7 });
  });
});

describe('http client: an attempt cut short', () => {
  it('times out while waiting for the headers, and closes the connection', async () => {
    const upstream = await fakeUpstream({ '/hang': () => undefined });
    const { http, failedStatuses } = client(upstream, { timeoutMs: 100 });

    const error = await failure(http.send(get('/hang'), call()));

    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('no answer within 100 ms');
    expect(failedStatuses()).toEqual([0]);
    await upstream.closed(0);
  });

  it('times out in the middle of the body, with the status already known', async () => {
    const upstream = await fakeUpstream({ '/half': halfBody });
    const { http, failedStatuses } = client(upstream, { timeoutMs: 300 });

    const error = await failure(http.send(get('/half'), call()));

    expect(error.kind).toBe('timeout');
    expect(failedStatuses()).toEqual([200]);
    await upstream.closed(0);
  });

  it('is aborted in the middle of the body when the operation is', async () => {
    const upstream = await fakeUpstream({ '/half': halfBody });
    const { http, failedStatuses } = client(upstream);
    const operation = new AbortController();
    const headers = headersReceived();

    const answer = http.send(get('/half'), call(operation.signal));
    await headers;
    await new Promise((resolve) => setImmediate(resolve));
    operation.abort(new Error('client closed the connection'));
    const error = await failure(answer);

    expect(error.kind).toBe('aborted');
    expect(failedStatuses()).toEqual([200]);
    await upstream.closed(0);
  });

  it('names an operation deadline passing mid-body a timeout of the operation', async () => {
    const upstream = await fakeUpstream({ '/half': halfBody });
    const { http } = client(upstream);
    const operation = new AbortController();
    const headers = headersReceived();

    const answer = http.send(get('/half'), call(operation.signal));
    await headers;
    operation.abort(new DOMException('operation deadline passed', 'TimeoutError'));
    const error = await failure(answer);

    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('operation deadline passed');
  });

  it('ends a connection closed mid-body as a network failure, which is retried', async () => {
    let reads = 0;
    const upstream = await fakeUpstream({
      '/flaky': (_request, response) => {
        reads += 1;
        if (reads > 1) {
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        response.write('{"items":[', () => response.socket?.destroy());
      },
    });
    const once = client(upstream, { retries: 0 });

    const error = await failure(once.http.send(get('/flaky'), call()));

    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/^connection failed: /);
    expect(once.failedStatuses()).toEqual([200]);

    reads = 0;
    const retrying = client(upstream, { retries: 1 });
    await expect(retrying.http.send(get('/flaky'), call())).resolves.toEqual({
      status: 200,
      json: { ok: true },
    });
  });

  it('aborts every attempt of an operation through its one listener on the signal', async () => {
    const upstream = await fakeUpstream({ '/a': () => undefined, '/b': () => undefined });
    const { http } = client(upstream);
    const operation = new AbortController();

    const answers = [
      http.send(get('/a'), call(operation.signal)),
      http.send(get('/b'), call(operation.signal)),
    ].map(failure);
    await upstream.arrived(2);
    expect(getEventListeners(operation.signal, 'abort')).toHaveLength(1);
    operation.abort(new Error('client closed the connection'));

    expect((await Promise.all(answers)).map((error) => error.kind)).toEqual(['aborted', 'aborted']);
    await Promise.all([upstream.closed(0), upstream.closed(1)]);
  });

  it('does not send an attempt whose operation is already over', async () => {
    const upstream = await fakeUpstream({ '/never': () => undefined });
    const { http } = client(upstream);
    const operation = new AbortController();
    operation.abort(new Error('client closed the connection'));

    const error = await failure(http.send(get('/never'), call(operation.signal)));

    expect(error.kind).toBe('aborted');
    expect(upstream.paths).toEqual([]);
  });
});

describe('http client: the timeout covers the waits before sending', () => {
  it('times out while queued for an in-flight slot', async () => {
    const upstream = await fakeUpstream({ '/held': () => undefined, '/queued': () => undefined });
    const inFlight = createInFlightLimit(1);
    const pool = new Pool(upstream.origin);
    const patient = client(upstream, { inFlight, pool });
    const hasty = client(upstream, { inFlight, pool, timeoutMs: 100 });
    const operation = new AbortController();

    const held = failure(patient.http.send(get('/held'), call(operation.signal)));
    await upstream.arrived(1);
    const error = await failure(hasty.http.send(get('/queued'), call()));

    expect(error.kind).toBe('timeout');
    expect(inFlight.load()).toEqual({ active: 1, queued: 0 });
    operation.abort(new Error('client closed the connection'));
    expect((await held).kind).toBe('aborted');
    expect(upstream.paths).toEqual(['/held']);
  });

  it("times out while undici queues it for the pool's connection, and never sends it", async () => {
    let release: (() => void) | undefined;
    const upstream = await fakeUpstream({
      '/busy': (_request, response) => {
        release = () => response.writeHead(200).end('{}');
      },
      '/queued': (_request, response) => response.writeHead(200).end('{}'),
      '/after': (_request, response) => response.writeHead(200).end('{}'),
    });
    const pool = new Pool(upstream.origin, { connections: 1 });
    const patient = client(upstream, { pool });
    const hasty = client(upstream, { pool, timeoutMs: 100 });

    const busy = patient.http.send(get('/busy'), call());
    await upstream.arrived(1);
    const error = await failure(hasty.http.send(get('/queued'), call()));
    expect(error.kind).toBe('timeout');

    release?.();
    await busy;
    await patient.http.send(get('/after'), call());
    expect(upstream.paths).toEqual(['/busy', '/after']);
  });
});

describe('http client: whom a request concerns', () => {
  it('refuses, at compile time, a request on a route about one customer without its subject', () => {
    // Never run: `npm run typecheck` fails if the subject of a `{id}` route becomes optional,
    // which would key that customer's 429 holds and breaker counting by the route again.
    const unattributed = (http: HttpClient) =>
      // @ts-expect-error a route naming {id} needs the customer it is about
      http.send({ method: 'GET', path: '/v1/customers/x', route: '/v1/customers/{id}' }, call());
    const attributed = (http: HttpClient) =>
      http.send(
        { method: 'GET', path: '/v1/customers/x', route: '/v1/customers/{id}', subject: 'x' },
        call(),
      );
    expect([unattributed, attributed]).toHaveLength(2);
  });
});

describe('http client: what each attempt tells the hold-time estimate', () => {
  /** Grants every slot at once, and notes how each was released. */
  function notingLimit(): { readonly inFlight: InFlightLimit; readonly ends: SlotEnd[] } {
    const ends: SlotEnd[] = [];
    const slot = () => (end: SlotEnd) => {
      ends.push(end);
    };
    return {
      ends,
      inFlight: {
        acquire: () => Promise.resolve(slot()),
        tryAcquire: slot,
        tryAcquireBackground: slot,
        load: () => NO_LIMIT.load(),
      },
    };
  }

  it('an answer of any status is a round trip, a timeout a lower bound, the rest nothing', async () => {
    const upstream = await fakeUpstream({
      '/ok': (_request, response) => response.writeHead(200).end('{}'),
      '/missing': (_request, response) => response.writeHead(404).end('{}'),
      '/down': (_request, response) => response.writeHead(503).end('{}'),
      '/garbled': (_request, response) => response.writeHead(200).end('not json'),
      '/huge': (_request, response) => response.writeHead(200).end(`"${'x'.repeat(200)}"`),
      '/hang': () => undefined,
      '/half': halfBody,
      '/reset': (request) => request.socket.destroy(),
    });
    const { inFlight, ends } = notingLimit();
    const { http } = client(upstream, { inFlight, timeoutMs: 200, maxBodyBytes: 100 });
    const ended = async (path: string, signal?: AbortSignal): Promise<SlotEnd | undefined> => {
      await http.send(get(path), call(signal)).catch(() => undefined);
      return ends.at(-1);
    };
    const cut = async (reason: Error): Promise<SlotEnd | undefined> => {
      const operation = new AbortController();
      const headers = headersReceived();
      const answer = ended('/half', operation.signal);
      await headers;
      operation.abort(reason);
      return answer;
    };

    expect(await ended('/ok')).toBe('answered');
    expect(await ended('/missing')).toBe('answered');
    expect(await ended('/down')).toBe('answered');
    expect(await ended('/garbled')).toBe('answered');
    expect(await ended('/huge')).toBe('answered');
    expect(await ended('/hang')).toBe('timed-out');
    expect(await ended('/half')).toBe('timed-out');
    expect(await cut(new DOMException('operation deadline passed', 'TimeoutError'))).toBe(
      'timed-out',
    );
    expect(await cut(new Error('client closed the connection'))).toBe('unmeasured');
    expect(await ended('/reset')).toBe('unmeasured');
    expect(ends).toHaveLength(10);
  });
});
