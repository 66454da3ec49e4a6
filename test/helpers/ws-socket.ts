import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { until } from './cache.js';
import type { RunningGateway } from './gateway.js';

/** graphql-ws's subprotocol, as every client of it asks for. */
const GRAPHQL_TRANSPORT_WS = 'graphql-transport-ws';

export function wsUrl(running: RunningGateway): string {
  return running.graphqlUrl.replace(/^http/, 'ws');
}

export interface Closed {
  readonly code: number;
  readonly reason: string;
}

/** A WebSocket spoken to frame by frame, recording everything the gateway sends. */
export interface RawSocket {
  readonly socket: WebSocket;
  /** Every message received: a text one parsed as JSON, a binary one as its bytes. */
  readonly messages: unknown[];
  /** Ping frames received (the transport's keepalive, not graphql-ws `ping` messages). */
  pings(): number;
  /** Resolves when the socket has closed, with the code and reason the gateway closed it with. */
  readonly closed: Promise<Closed>;
  /** Sends a message: an object as JSON, a string as it is. */
  send(message: unknown): void;
  /** Waits until a received message satisfies `match`, and returns it. */
  next(match: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** `connection_init` with `payload`, then waits for `connection_ack`. */
  init(payload?: Record<string, unknown>): Promise<void>;
  close(): void;
}

/** Opens a raw socket to the gateway's `/graphql` with graphql-ws's subprotocol. */
export async function openSocket(
  running: RunningGateway,
  options: { readonly headers?: Record<string, string>; readonly autoPong?: boolean } = {},
): Promise<RawSocket> {
  const socket = new WebSocket(wsUrl(running), GRAPHQL_TRANSPORT_WS, {
    headers: options.headers ?? {},
    autoPong: options.autoPong ?? true,
  });
  const messages: unknown[] = [];
  let pings = 0;
  socket.on('ping', () => {
    pings += 1;
  });
  socket.on('message', (data: Buffer, isBinary) => {
    messages.push(isBinary ? data : (JSON.parse(data.toString('utf8')) as unknown));
  });
  const closed = new Promise<Closed>((resolve) => {
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') }));
  });
  // A refused upgrade is a failure of the test, not an unhandled 'error' event.
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`upgrade refused: ${String(response.statusCode)}`)),
    );
  });
  const raw: RawSocket = {
    socket,
    messages,
    pings: () => pings,
    closed,
    send(message) {
      socket.send(typeof message === 'string' ? message : JSON.stringify(message));
    },
    async next(match) {
      let found: Record<string, unknown> | undefined;
      await until(() => {
        found = messages.find(
          (message): message is Record<string, unknown> =>
            typeof message === 'object' &&
            message !== null &&
            !Buffer.isBuffer(message) &&
            match(message as Record<string, unknown>),
        );
        return found !== undefined || socket.readyState === WebSocket.CLOSED;
      });
      if (found === undefined) throw new Error('the socket closed before the message came');
      return found;
    },
    async init(payload) {
      raw.send(
        payload === undefined ? { type: 'connection_init' } : { type: 'connection_init', payload },
      );
      await raw.next((message) => message['type'] === 'connection_ack');
    },
    close: () => socket.close(),
  };
  return raw;
}

/** `subscribe` for the watch, as a graphql-ws client sends it. */
export function subscribeMessage(
  id: string,
  query: string,
  variables: Record<string, unknown>,
): Record<string, unknown> {
  return { id, type: 'subscribe', payload: { query, variables } };
}

/** What one graphql-ws client subscription received. */
export interface Watcher<T> {
  readonly results: FormattedExecutionResult<T, unknown>[];
  readonly errors: unknown[];
  completed: boolean;
  dispose(): void;
}

/** A graphql-ws client (the library, with `ws`), which does not retry: a close is the test's. */
export function wsClient(
  running: RunningGateway,
  connectionParams: Record<string, unknown> | undefined,
): Client {
  return createClient({
    url: wsUrl(running),
    webSocketImpl: WebSocket,
    ...(connectionParams === undefined ? {} : { connectionParams }),
    retryAttempts: 0,
    lazy: true,
  });
}

/** Subscribes through `client`, collecting what comes. */
export function watch<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
): Watcher<T> {
  const watcher: Watcher<T> = {
    results: [],
    errors: [],
    completed: false,
    dispose: () => undefined,
  };
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => watcher.results.push(result),
      error: (error: unknown) => watcher.errors.push(error),
      complete: () => {
        watcher.completed = true;
      },
    },
  );
  watcher.dispose = dispose;
  return watcher;
}
