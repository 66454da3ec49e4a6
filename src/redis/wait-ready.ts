import type { RedisConnection } from './connection.js';

/**
 * Resolves true once the command connection is ready, or false after `timeoutMs`: start-up waits
 * this long for Redis before listening, so the first calls spend the shared budget, not a
 * replica's own. Redis staying away is no reason not to start.
 */
export function waitUntilReady(connection: RedisConnection, timeoutMs: number): Promise<boolean> {
  if (connection.isReady()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      connection.client.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(connection.isReady()), timeoutMs);
    connection.client.on('ready', onReady);
  });
}
