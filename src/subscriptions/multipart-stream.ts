import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import type { ExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Logger } from '../observability/logger.js';
import { CLOSING, eventPart, HEARTBEAT, OPENING, transportErrorPart } from './multipart-framing.js';
import { formatResult } from './result-format.js';

export interface MultipartStreamOptions {
  readonly heartbeatMs: number;
  readonly formatError: (error: GraphQLError) => GraphQLFormattedError;
  readonly logger: Logger;
  /** Told once, when the stream has ended (however it ended). */
  readonly onEnd: () => void;
}

/** One subscription's response body, from its opening delimiter to its closing one. */
export interface MultipartStream {
  /** What the response sends; the client going away destroys it, which ends the subscription. */
  readonly body: PassThrough;
  /** Sends the events as they come, heartbeats between them. */
  start(events: AsyncIterableIterator<ExecutionResult>): void;
  /** Ends the subscription: `error` first (a transport error), then the closing delimiter. */
  end(error?: GraphQLFormattedError): void;
  /** Once ended, the connection goes too: at shutdown its client must come back elsewhere. */
  endConnectionAfter(socket: Socket | null): void;
  /** Resolves once the body is done with (sent whole, or cut by the client). */
  readonly closed: Promise<void>;
}

/**
 * A multipart subscription response. Events are taken one at a time and only while the client
 * reads: a slow client leaves them to `customerEvents`, which keeps the latest per customer.
 */
export function createMultipartStream(options: MultipartStreamOptions): MultipartStream {
  const body = new PassThrough();
  body.write(OPENING);
  let events: AsyncIterableIterator<ExecutionResult> | undefined;
  let ended = false;
  let pendingError: GraphQLFormattedError | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  const closed = new Promise<void>((resolve) => body.once('close', resolve));

  const stop = () => {
    if (ended) return false;
    ended = true;
    clearInterval(heartbeat);
    void events?.return?.();
    options.onEnd();
    return true;
  };
  // The client went away (Fastify destroys the body then), or the body was sent whole.
  body.once('close', stop);

  async function pump(source: AsyncIterableIterator<ExecutionResult>): Promise<void> {
    try {
      for (;;) {
        const next = await source.next();
        if (next.done === true || ended) break;
        if (!body.write(eventPart(formatResult(next.value, options.formatError)))) {
          await writable(body);
        }
      }
      stream.end();
    } catch (error) {
      options.logger.error(
        { err: error instanceof Error ? error.message : String(error) },
        'multipart subscription failed',
      );
      stream.end({
        message: 'The subscription failed.',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    }
  }

  const stream: MultipartStream = {
    body,
    closed,
    start(source) {
      events = source;
      if (ended) {
        void source.return?.();
        return;
      }
      if (pendingError !== undefined) {
        stream.end(pendingError);
        return;
      }
      heartbeat = setInterval(() => {
        // A client that is not reading needs no heartbeat: the bytes it has not read yet are one.
        if (!body.writableNeedDrain) body.write(HEARTBEAT);
      }, options.heartbeatMs);
      heartbeat.unref();
      void pump(source);
    },
    end(error) {
      if (events === undefined && !ended) {
        // Refused before it started: `start` sends it.
        pendingError ??= error;
        if (error !== undefined) return;
      }
      if (!stop() || body.destroyed) return;
      if (error !== undefined) body.write(transportErrorPart([error]));
      body.end(CLOSING);
    },
    endConnectionAfter(socket) {
      void closed.then(() => socket?.end());
    },
  };
  return stream;
}

/** Resolves once `body` takes writes again, or is gone. */
function writable(body: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      body.off('drain', done);
      body.off('close', done);
      resolve();
    };
    body.on('drain', done);
    body.on('close', done);
  });
}
