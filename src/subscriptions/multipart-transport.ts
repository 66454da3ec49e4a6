import {
  getOperationAST,
  OperationTypeNode,
  parse,
  type GraphQLError,
  type GraphQLFormattedError,
} from 'graphql';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ContextFactory } from '../graphql/context.js';
import { messageFor } from '../graphql/errors.js';
import type { Logger } from '../observability/logger.js';
import { connectionHeaders } from './connection-credentials.js';
import {
  acceptsMultipartSubscriptions,
  HEARTBEAT_EVERY_MS,
  MULTIPART_CONTENT_TYPE,
} from './multipart-framing.js';
import { createMultipartStream, type MultipartStream } from './multipart-stream.js';
import { formatResult } from './result-format.js';
import { admitSubscriber, type SubscriberDeps } from './subscriber.js';
import {
  prepareSubscription,
  runSubscription,
  SHUTTING_DOWN_MESSAGE,
  type OperationRules,
  type SubscribeRequest,
} from './subscription-operation.js';

export interface MultipartTransportOptions {
  readonly rules: OperationRules;
  readonly createContext: ContextFactory;
  readonly subscriber: SubscriberDeps;
  readonly formatError: (error: GraphQLError) => GraphQLFormattedError;
  readonly logger: Logger;
  /** Between heartbeat parts; tests make it short. */
  readonly heartbeatMs?: number | undefined;
}

export interface MultipartTransport {
  /**
   * For `/graphql`'s requests, before Apollo Server (which cannot serve subscriptions): answers a
   * subscription, streamed or refused, and resolves true; leaves everything else to Apollo.
   */
  handle(request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
  /** Streams open now. */
  streams(): number;
  /** Shutdown's start: new subscriptions are refused (`SHUTTING_DOWN`); open streams go on until `close`. */
  refuseNew(): void;
  /** Shutdown: no new streams, every open one ended with the closing delimiter, and its connection. */
  close(): Promise<void>;
}

/** The browser's simple types: Apollo's CSRF prevention answers those requests, not this. */
const NON_PREFLIGHTED = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** Apollo's multipart HTTP subscriptions on `POST /graphql` (`Accept: multipart/mixed;subscriptionSpec="1.0"`). */
export function createMultipartTransport(options: MultipartTransportOptions): MultipartTransport {
  const { rules, logger } = options;
  /** Each open stream, with the connection it holds. */
  const open = new Map<MultipartStream, Socket | null>();
  let closing = false;

  async function serve(
    request: FastifyRequest,
    reply: FastifyReply,
    subscription: SubscribeRequest,
  ): Promise<void> {
    const prepared = prepareSubscription(rules, subscription);
    if ('errors' in prepared) {
      refuse(
        reply,
        prepared.errors.map((failure) => options.formatError(failure)),
      );
      return;
    }
    const subscriber = await admitSubscriber(
      options.subscriber,
      connectionHeaders(request.headers, undefined),
    );
    if (subscriber === undefined) {
      refuse(reply, [
        error(
          'UNAUTHENTICATED',
          'Subscribing needs the credentials an HTTP operation needs (Authorization, Router-Authorization).',
        ),
      ]);
      return;
    }
    let expiry: NodeJS.Timeout | undefined;
    const stream = createMultipartStream({
      heartbeatMs: options.heartbeatMs ?? HEARTBEAT_EVERY_MS,
      formatError: options.formatError,
      logger,
      onEnd: () => {
        clearTimeout(expiry);
        open.delete(stream);
      },
    });
    const refused = error('UNAUTHENTICATED', messageFor('UNAUTHENTICATED'));
    let result: Awaited<ReturnType<typeof runSubscription>>;
    try {
      result = await runSubscription(
        rules,
        options.createContext,
        subscriber,
        subscription,
        prepared.document,
        () => stream.end(refused),
      );
    } catch (failure) {
      stream.body.destroy();
      throw failure;
    }
    if (!(Symbol.asyncIterator in result)) {
      stream.body.destroy();
      refuse(reply, formatResult(result, options.formatError).errors ?? []);
      return;
    }
    const socket = reply.raw.socket;
    open.set(stream, socket);
    // As graphql-ws closes with 4403: the client subscribes again with a fresh token.
    if (subscriber.expiresAt !== undefined) {
      expiry = setTimeout(
        () => stream.end(error('UNAUTHENTICATED', 'The token has expired.')),
        Math.min(2 ** 31 - 1, subscriber.expiresAt - Date.now()),
      ).unref();
    }
    if (closing) stream.endConnectionAfter(socket);
    void reply
      .code(200)
      .type(MULTIPART_CONTENT_TYPE)
      .header('cache-control', 'no-store')
      .send(stream.body);
    stream.start(result);
    if (closing) stream.end();
  }

  return {
    async handle(request, reply) {
      const subscription = subscriptionIn(request, rules.maxTokens);
      if (subscription === undefined) return false;
      if (request.method !== 'POST' || !acceptsMultipartSubscriptions(request.headers.accept)) {
        refuse(reply, [
          error(
            'BAD_REQUEST',
            'Subscriptions over HTTP are POSTed with Accept: multipart/mixed;subscriptionSpec="1.0" (or use graphql-ws on this path).',
          ),
        ]);
      } else if (closing) {
        refuse(reply, [error('SHUTTING_DOWN', SHUTTING_DOWN_MESSAGE)]);
      } else {
        await serve(request, reply, subscription);
      }
      return true;
    },
    streams: () => open.size,
    refuseNew() {
      closing = true;
    },
    async close() {
      closing = true;
      const ending = [...open];
      for (const [stream, socket] of ending) {
        stream.endConnectionAfter(socket);
        stream.end();
      }
      await Promise.all(ending.map(([stream]) => stream.closed));
    },
  };
}

/**
 * The subscription a `/graphql` request asks for, if it asks for one. Only what Apollo would
 * take for an operation: a parsed JSON body (any other content type is Apollo's, whose CSRF
 * prevention refuses the simple ones) or GET's `query`. Parsed only when the text mentions
 * `subscription`, so queries pay nothing; what does not parse is left to Apollo to answer.
 */
function subscriptionIn(request: FastifyRequest, maxTokens: number): SubscribeRequest | undefined {
  let source: unknown;
  if (request.method === 'POST') {
    const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type === undefined || NON_PREFLIGHTED.includes(type)) return undefined;
    source = request.body;
  } else if (request.method === 'GET') {
    source = request.query;
  } else return undefined;
  if (typeof source !== 'object' || source === null) return undefined;
  const { query, variables, operationName } = source as Record<string, unknown>;
  if (typeof query !== 'string' || !query.includes('subscription')) return undefined;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    return undefined;
  }
  try {
    const document = parse(query, { maxTokens });
    const operation = getOperationAST(document, operationName ?? undefined);
    if (operation?.operation !== OperationTypeNode.SUBSCRIPTION) return undefined;
  } catch {
    return undefined;
  }
  if (variables === undefined || variables === null) return { query, operationName };
  // Apollo answers other shapes with its own 400, before running anything.
  if (typeof variables !== 'object' || Array.isArray(variables)) return undefined;
  return { query, operationName, variables: variables as Record<string, unknown> };
}

/** A refusal before the stream starts: plain JSON, as any HTTP answer. */
function refuse(reply: FastifyReply, errors: readonly GraphQLFormattedError[]): void {
  void reply.code(statusFor(errors)).send({ errors });
}

function statusFor(errors: readonly GraphQLFormattedError[]): number {
  switch (errors[0]?.extensions?.['code']) {
    case 'UNAUTHENTICATED':
      return 401;
    case 'SHUTTING_DOWN':
      return 503;
    case 'INTERNAL_SERVER_ERROR':
      return 500;
    default:
      return 400;
  }
}

function error(code: string, message: string): GraphQLFormattedError {
  return { message, extensions: { code } };
}
