import { Redis } from 'ioredis';
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
  /** True while the command connection is up; callers skip Redis otherwise. */
  isReady(): boolean;
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

export function createRedisConnection(options: RedisConnectionOptions): RedisConnection {
  const { logger } = options;
  const connections: Redis[] = [];

  const open = (role: 'commands' | 'subscriber', onReady?: (reconnected: boolean) => void) => {
    const redis = new Redis(options.url.href, {
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

  const client = open('commands');
  return {
    client,
    isReady: () => client.status === 'ready',
    subscribe(channel, onMessage, onReady) {
      const subscriber = open('subscriber', (reconnected) => {
        subscriber.subscribe(channel).then(
          () => onReady?.(reconnected),
          () => undefined, // the next reconnect subscribes again
        );
      });
      subscriber.on('message', (received: string, message: string) => {
        if (received === channel) onMessage(message);
      });
    },
    close() {
      for (const redis of connections) redis.disconnect(false);
    },
  };
}
