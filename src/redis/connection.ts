import { Redis, type Command, type RedisOptions } from 'ioredis';
import type { Logger } from '../observability/logger.js';

export interface RedisConnectionOptions {
  readonly url: URL;
  readonly logger: Logger;
  /** Longest a command may take before it fails; Redis answers in well under a millisecond. */
  readonly commandTimeoutMs?: number | undefined;
}

/**
 * The gateway's Redis: one command connection shared by every capability that needs the fleet
 * (the cache, later the rate limiter), plus subscriber connections on demand (a connection in
 * pub/sub mode can run no other command). Redis is an accelerator: commands fail fast while it
 * is away instead of queueing, the connections reconnect by themselves, and an outage is logged
 * once when it begins and once when it ends.
 */
export interface RedisConnection {
  readonly client: Redis;
  /**
   * True while the command connection is up and Redis answers on it; callers skip Redis
   * otherwise. A Redis that stops answering without closing the connection (paused, stuck,
   * a network that drops packets) is not ready from its first command that timed out until
   * a command is answered again (a PING is sent every second meanwhile).
   */
  isReady(): boolean;
  /** Calls `listener` whenever `isReady()` changes. */
  onReadyChange(listener: (ready: boolean) => void): void;
  /**
   * A new connection subscribed to `channel`. `onReady` runs after every (re)connect, once the
   * subscription is in place: messages published while it was down are lost, so this is where a
   * subscriber catches up.
   */
  subscribe(
    channel: string,
    onMessage: (message: string) => void,
    onReady?: (reconnected: boolean) => void,
  ): void;
  /** Drops every connection at once: `quit()` would wait for a Redis that may be gone. */
  close(): void;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 100;
/** How often a Redis that stopped answering is asked again. */
const PROBE_EVERY_MS = 1_000;
/** ioredis's error for a command that got no answer within `commandTimeout`. */
const TIMED_OUT = 'Command timed out';

/**
 * ioredis tells no one when a command times out: this connection watches every command's
 * outcome (pipelines and scripts pass through `sendCommand` too).
 */
class WatchedRedis extends Redis {
  private readonly watched = new WeakSet<Command>();

  constructor(
    url: string,
    options: RedisOptions,
    private readonly onOutcome: (answered: boolean) => void,
  ) {
    super(url, options);
  }

  override sendCommand(...args: Parameters<Redis['sendCommand']>): unknown {
    const [command] = args;
    if (!this.watched.has(command)) {
      // ioredis may pass a command through here more than once (an offline queue's flush).
      this.watched.add(command);
      command.promise.then(
        () => {
          this.onOutcome(true);
        },
        (error: unknown) => {
          // An error reply is an answer; a closed connection says nothing about a pause.
          if (error instanceof Error && error.message === TIMED_OUT) this.onOutcome(false);
          else if (error instanceof Error && error.name === 'ReplyError') this.onOutcome(true);
        },
      );
    }
    return super.sendCommand(...args);
  }
}

export function createRedisConnection(options: RedisConnectionOptions): RedisConnection {
  const { logger } = options;
  const connections: Redis[] = [];
  /** False from a command that timed out until one is answered. */
  let answering = true;
  let probe: NodeJS.Timeout | undefined;
  let closed = false;
  const listeners: ((ready: boolean) => void)[] = [];
  let reported = false;

  const settings = (role: 'commands' | 'subscriber'): RedisOptions => ({
    // Commands while disconnected fail at once rather than wait in a queue.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    // Subscriber connections wait for messages, not for answers.
    ...(role === 'commands'
      ? { commandTimeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS }
      : {}),
    autoResubscribe: false,
    // Keep trying for as long as the gateway runs, at most every two seconds.
    retryStrategy: (times) => Math.min(times * 100, 2_000),
  });

  const watch = (
    redis: Redis,
    role: 'commands' | 'subscriber',
    onReady?: (reconnected: boolean) => void,
  ) => {
    let down = false;
    let connectedBefore = false;
    // Without a listener an unreachable Redis would be an unhandled 'error' event.
    redis.on('error', (error: Error) => {
      if (down) return;
      down = true;
      // Only the message: the URL may hold a password.
      logger.warn(
        { redis: role, err: error.message },
        'Redis unreachable: serving from memory and Partner Center until it is back',
      );
    });
    redis.on('close', () => {
      if (!down && connectedBefore) {
        down = true;
        logger.warn({ redis: role }, 'Redis connection lost: reconnecting');
      }
    });
    redis.on('ready', () => {
      if (down) logger.info({ redis: role }, 'Redis reachable again');
      down = false;
      const reconnected = connectedBefore;
      connectedBefore = true;
      onReady?.(reconnected);
    });
    connections.push(redis);
    return redis;
  };

  const isReady = () => client.status === 'ready' && answering;
  const report = () => {
    const ready = isReady();
    if (ready === reported) return;
    reported = ready;
    for (const listener of listeners) listener(ready);
  };

  const askAgain = () => {
    probe = undefined;
    if (closed || answering) return;
    if (client.status === 'ready') client.ping().catch(() => undefined);
    probe = setTimeout(askAgain, PROBE_EVERY_MS);
    probe.unref();
  };

  const onOutcome = (answered: boolean) => {
    if (answered === answering) return;
    answering = answered;
    if (answered) {
      logger.info({ redis: 'commands' }, 'Redis answering again');
    } else {
      logger.warn(
        { redis: 'commands' },
        'Redis not answering (connection open): serving from memory and Partner Center until it does',
      );
      askAgain();
    }
    report();
  };

  const client = watch(
    new WatchedRedis(options.url.href, settings('commands'), onOutcome),
    'commands',
  );
  client.on('ready', () => {
    // A new connection: whatever stalled the old one is behind it.
    answering = true;
    report();
  });
  client.on('close', report);
  return {
    client,
    isReady,
    onReadyChange(listener) {
      listeners.push(listener);
    },
    subscribe(channel, onMessage, onReady) {
      const subscriber = watch(
        new Redis(options.url.href, settings('subscriber')),
        'subscriber',
        (reconnected) => {
          subscriber.subscribe(channel).then(
            () => onReady?.(reconnected),
            () => undefined, // the next reconnect subscribes again
          );
        },
      );
      subscriber.on('message', (received: string, message: string) => {
        if (received === channel) onMessage(message);
      });
    },
    close() {
      closed = true;
      clearTimeout(probe);
      for (const redis of connections) redis.disconnect(false);
    },
  };
}
