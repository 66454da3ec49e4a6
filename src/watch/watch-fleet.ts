import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/logger.js';
import type { RedisConnection } from '../redis/connection.js';
import { parseWatchedState, type WatchedState } from './watched-state.js';

/** What replicas tell each other about watched customers. */
export type WatchMessage =
  /** A replica read a watched customer and found a change. */
  | {
      readonly kind: 'state';
      readonly scope: string;
      readonly id: string;
      readonly state: WatchedState;
    }
  /** A replica wrote the customer: every replica watching it reads it now (`nonce` elects one per scope). */
  | { readonly kind: 'poke'; readonly id: string; readonly nonce: string };

/**
 * How the replicas watching the same customers share the work: one claims each read, the others
 * hear what it found. Without Redis this replica is the whole fleet.
 */
export interface WatchFleet {
  /**
   * Claims the read named `name` for `ms` (a lease): 0 when this replica has it (or already
   * had it, then it is extended), else the milliseconds until the holder's claim ends.
   */
  claim(name: string, ms: number): Promise<number>;
  publish(message: WatchMessage): void;
  /** Messages from the other replicas (never this one's own). */
  onMessage(listener: (message: WatchMessage) => void): void;
}

const CHANNEL = 'pcgw:v1:watch';
const LEASE_PREFIX = 'pcgw:v1:watch:lease:';

/**
 * `SET NX PX` or, when this replica holds the lease already, extend it; otherwise the time left
 * of the other's. One round trip, atomic.
 */
const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 0
end
return redis.call('PTTL', KEYS[1])`;

export const LOCAL_WATCH_FLEET: WatchFleet = {
  claim: () => Promise.resolve(0),
  publish: () => undefined,
  onMessage: () => undefined,
};

/**
 * Leases in Redis elect the reader of each watched customer; pub/sub carries what it found to
 * every replica. While Redis is away each replica claims every read itself: the watch goes on,
 * at the cost of one read per replica per interval, and is shared again once Redis is back.
 */
export function createWatchFleet(connection: RedisConnection, logger: Logger): WatchFleet {
  const me = randomUUID();
  const listeners: ((message: WatchMessage) => void)[] = [];
  connection.subscribe(CHANNEL, (text) => {
    const message = parseMessage(text, me);
    if (message !== undefined) for (const listener of listeners) listener(message);
  });
  return {
    async claim(name, ms) {
      if (!connection.isReady()) return 0;
      try {
        const left = await connection.client.eval(CLAIM, 1, LEASE_PREFIX + name, me, ms);
        // -2: the lease ended between the two commands; -1 cannot happen (always set with PX).
        return typeof left === 'number' && left > 0 ? left : 0;
      } catch (error) {
        logger.debug({ err: error }, 'watch lease not claimed in Redis: reading alone');
        return 0;
      }
    },
    publish(message) {
      if (!connection.isReady()) return;
      connection.client
        .publish(CHANNEL, JSON.stringify({ ...message, from: me }))
        .catch((error: unknown) => {
          logger.debug({ err: error }, 'watch message not published');
        });
    },
    onMessage(listener) {
      listeners.push(listener);
    },
  };
}

/** Redis is shared, but what arrives on it is still checked before it is believed. */
function parseMessage(text: string, me: string): WatchMessage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const record = json as Record<string, unknown>;
  if (record['from'] === me || typeof record['id'] !== 'string') return undefined;
  const id = record['id'];
  if (record['kind'] === 'poke' && typeof record['nonce'] === 'string') {
    return { kind: 'poke', id, nonce: record['nonce'] };
  }
  if (record['kind'] === 'state' && typeof record['scope'] === 'string') {
    const state = parseWatchedState(record['state']);
    if (state !== undefined) return { kind: 'state', scope: record['scope'], id, state };
  }
  return undefined;
}
