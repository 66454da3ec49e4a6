import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, type ExecutionArgs, type GraphQLFormattedError } from 'graphql';
import { CloseCode, type Context as WsContext } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ContextFactory } from '../graphql/context.js';
import type { Logger } from '../observability/logger.js';
import { connectionHeaders } from './connection-credentials.js';
import { formatResult } from './result-format.js';
import { admitSubscriber, type Subscriber, type SubscriberDeps } from './subscriber.js';
import {
  prepareSubscription,
  runSubscription,
  SHUTTING_DOWN_MESSAGE,
  type OperationRules,
} from './subscription-operation.js';

/** The graphql-ws path: the same as HTTP's, so one URL serves every client and router. */
export const SUBSCRIPTIONS_PATH = '/graphql';
/**
 * Pings below the idle timeouts of common load balancers (60 s for AWS ALB and nginx, 350 s for
 * Azure's): a quiet subscription is not cut. A socket that answers no ping within as long again
 * is closed.
 */
export const PING_EVERY_MS = 12_000;
/** A socket that has not sent `connection_init` by then is closed (4408). */
export const CONNECTION_INIT_WAIT_MS = 10_000;
/** What graphql-ws clients take for "try again": a fresh token, another replica. */
export const FORBIDDEN = CloseCode.Forbidden;
export const GOING_AWAY = 1001;

export interface WsServerOptions {
  readonly server: HttpServer;
  readonly rules: OperationRules;
  readonly createContext: ContextFactory;
  readonly subscriber: SubscriberDeps;
  /** `SUBSCRIPTIONS_PER_CONNECTION_MAX`. */
  readonly maxPerConnection: number;
  /** Largest frame a client may send (`BODY_LIMIT_BYTES`, as for an HTTP body). */
  readonly maxPayloadBytes: number;
  readonly isProduction: boolean;
  /** How long a socket may wait before `connection_init` (`CONNECTION_INIT_WAIT_MS`); tests make it short. */
  readonly initWaitMs?: number | undefined;
  /** Between keepalive pings (`PING_EVERY_MS`); tests make it short. */
  readonly pingEveryMs?: number | undefined;
  readonly formatError: (error: GraphQLError) => GraphQLFormattedError;
  readonly logger: Logger;
}

export interface WsServer {
  /** Sockets open now. */
  connections(): number;
  /** Shutdown's start: new sockets and new subscriptions are refused; open ones go on until `close`. */
  refuseNew(): void;
  /** Shutdown: no new sockets, and every open one closed with 1001 so its client reconnects elsewhere. */
  close(): Promise<void>;
}

interface Connection {
  readonly subscriber: Subscriber;
  expiry: NodeJS.Timeout | undefined;
}

/** The longest a timer may be set for. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** graphql-ws (`graphql-transport-ws`) on the HTTP server's own port and path. */
export function attachWsServer(options: WsServerOptions): WsServer {
  const { rules, logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const connections = new WeakMap<WsContext, Connection>();
  let closing = false;
  let disposed: Promise<void> | undefined;

  const socketOf = (ctx: WsContext) => (ctx.extra as { socket: WebSocket }).socket;
  /** Each operation's run, keyed by the arguments graphql-ws hands back to `subscribe`. */
  const runs = new WeakMap<ExecutionArgs, () => ReturnType<typeof runSubscription>>();
  const server = useServer(
    {
      schema: rules.schema,
      connectionInitWaitTimeout: options.initWaitMs ?? CONNECTION_INIT_WAIT_MS,
      isProd: options.isProduction,
      onConnect: async (ctx) => {
        const { request } = ctx.extra as { request: IncomingMessage };
        const subscriber = await admitSubscriber(
          options.subscriber,
          connectionHeaders(request.headers, ctx.connectionParams),
        );
        const socket = socketOf(ctx);
        // Gone while its credentials were checked: onClose has run, and would not clear a timer.
        if (subscriber === undefined || socket.readyState !== socket.OPEN) return false;
        const connection: Connection = { subscriber, expiry: undefined };
        const msLeft = subscriber.msLeft();
        if (msLeft !== undefined) {
          connection.expiry = setTimeout(
            () => socket.close(FORBIDDEN, 'Token expired'),
            Math.min(MAX_TIMER_MS, msLeft),
          );
          connection.expiry.unref();
        }
        connections.set(ctx, connection);
        return true;
      },
      onClose: (ctx) => {
        clearTimeout(connections.get(ctx)?.expiry);
        connections.delete(ctx);
      },
      onSubscribe: (ctx, _id, payload) => {
        if (closing) {
          return [
            new GraphQLError(SHUTTING_DOWN_MESSAGE, { extensions: { code: 'SHUTTING_DOWN' } }),
          ];
        }
        const connection = connections.get(ctx);
        if (connection === undefined) return [unavailable()];
        // This one is counted already.
        if (Object.keys(ctx.subscriptions).length > options.maxPerConnection) {
          return [
            new GraphQLError(
              `At most ${options.maxPerConnection} subscriptions per connection; end one first.`,
              { extensions: { code: 'BAD_REQUEST' } },
            ),
          ];
        }
        const prepared = prepareSubscription(rules, payload);
        if ('errors' in prepared) return [...prepared.errors];
        const socket = socketOf(ctx);
        const args: ExecutionArgs = {
          schema: rules.schema,
          document: prepared.document,
          // graphql-ws picks the operation from these args again: without the name, a document of
          // several operations (Sandbox's and GraphiQL's example) is "Unable to identify operation".
          operationName: payload.operationName ?? undefined,
          // `subscribe` below makes the contexts: each event gets its own.
          contextValue: undefined,
          rootValue: undefined,
        };
        runs.set(args, () =>
          runSubscription(
            rules,
            options.createContext,
            connection.subscriber,
            payload,
            prepared.document,
            () => socket.close(FORBIDDEN, 'Partner Center refused the token'),
          ),
        );
        return args;
      },
      subscribe: (args) => {
        const run = runs.get(args);
        if (run === undefined) throw new Error('subscription run without onSubscribe');
        return run();
      },
      onNext: (_ctx, _id, _payload, _args, result) => formatResult(result, options.formatError),
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => options.formatError(error)),
    },
    wss,
    options.pingEveryMs ?? PING_EVERY_MS,
  );

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== SUBSCRIPTIONS_PATH || closing) {
      socket.end(
        closing
          ? 'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'
          : 'HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
      );
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      wss.emit('connection', ws, request);
      // ws has already closed the socket with the frame's code (1009 too large, 1007 not UTF-8,
      // 1002 a protocol error) when it says so here. graphql-ws's own listener would print each
      // one with its stack to stderr, so a client could flood the output past the logger.
      ws.removeAllListeners('error');
      ws.on('error', (error: Error & { code?: unknown }) => {
        logger.info({ reason: error.code ?? error.name }, 'websocket frame refused');
      });
    });
  };
  options.server.on('upgrade', onUpgrade);
  wss.on('error', (error) => {
    logger.warn({ err: error.message }, 'websocket server error');
  });

  return {
    connections: () => wss.clients.size,
    refuseNew() {
      closing = true;
    },
    close() {
      // Shutdown's drain and the HTTP server's close both end it; the second waits for the first.
      closing = true;
      disposed ??= Promise.resolve(server.dispose());
      return disposed;
    },
  };
}

function unavailable(): GraphQLError {
  return new GraphQLError('The connection is not ready; connect again.', {
    extensions: { code: 'BAD_REQUEST' },
  });
}
