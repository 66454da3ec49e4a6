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

/** The outcome of a claim. */
export interface Claim {
  /** 0 when this replica reads now, else the milliseconds until the holder's lease ends. */
  readonly waitMs: number;
  /**
   * The last answer the fleet recorded for the watched pair, whoever read it: a replica that
   * missed a message (pub/sub loses what is sent while a subscriber reconnects) or takes over
   * from another starts from it, so its next read is compared with the fleet's last answer and
   * not with an older one of its own.
   */
  readonly last: WatchedState | undefined;
}

/**
 * How the replicas watching the same customers share the work: one claims each read, the others
 * hear what it found. Without Redis this replica is the whole fleet.
 */
export interface WatchFleet {
  /**
   * Claims the read `lease` of the watched pair `key` for `ms`: won when free, when this replica
   * holds it already (then it is extended) or when the holder's lease runs longer than `ms` (it
   * reads less often than this replica needs). Never rejects: without an answer from Redis this
   * replica reads alone.
   */
  claim(lease: string, key: string, ms: number): Promise<Claim>;
  /** Records `state` as the pair's last answer for `ms`, beside its lease. */
  record(key: string, state: WatchedState, ms: number): void;
  /** Gives the lease up if this replica holds it: it no longer reads the pair. */
  release(lease: string): void;
  publish(message: WatchMessage): void;
  /** Messages from the other replicas (never this one's own). */
  onMessage(listener: (message: WatchMessage) => void): void;
}

const CHANNEL = 'pcgw:v1:watch';
const LEASE_PREFIX = 'pcgw:v1:watch:lease:';
const LAST_PREFIX = 'pcgw:v1:watch:last:';

/**
 * `SET NX PX`; or extend the lease this replica holds; or take over one whose holder asked for a
 * longer lease than this claim (a settled answer's interval while this replica knows a review);
 * otherwise the time left of the other's, at least 1 ms: PTTL says 0 for a lease in its last
 * millisecond, which is still the holder's, and 0 would read as won (two readers at once). A
 * lease without an expiry (-1) is nobody's. With the pair's last answer. One round trip, atomic.
 */
const CLAIM = `
local last = redis.call('GET', KEYS[2])
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {0, last} end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {0, last}
end
local left = redis.call('PTTL', KEYS[1])
if left == -1 or left > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {0, last}
end
return {math.max(left, 1), last}`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const READ_ALONE: Claim = { waitMs: 0, last: undefined };

export const LOCAL_WATCH_FLEET: WatchFleet = {
  claim: () => Promise.resolve(READ_ALONE),
  record: () => undefined,
  release: () => undefined,
  publish: () => undefined,
  onMessage: () => undefined,
};

/**
 * Leases in Redis elect the reader of each watched customer; pub/sub carries what it found to
 * every replica, and the last answer stays beside the lease. While Redis is away each replica
 * claims every read itself: the watch goes on, at the cost of one read per replica per interval,
 * and is shared again once Redis is back.
 */
export function createWatchFleet(connection: RedisConnection, logger: Logger): WatchFleet {
  const me = randomUUID();
  const listeners: ((message: WatchMessage) => void)[] = [];
  connection.subscribe(CHANNEL, (text) => {
    const message = parseMessage(text, me);
    if (message === undefined) return;
    for (const listener of listeners) {
      try {
        listener(message);
      } catch (error) {
        logger.warn({ err: error }, 'watch message not handled');
      }
    }
  });
  const quietly = (what: string) => (error: unknown) => {
    logger.debug({ err: error }, what);
  };
  return {
    async claim(lease, key, ms) {
      if (!connection.isReady()) return READ_ALONE;
      try {
        const reply = await connection.client.eval(
          CLAIM,
          2,
          LEASE_PREFIX + lease,
          LAST_PREFIX + key,
          me,
          Math.max(1, Math.round(ms)),
        );
        return claimOf(reply);
      } catch (error) {
        // A Redis that is busy, slow or gone elects no one: reading alone costs one read.
        logger.debug({ err: error }, 'watch lease not claimed in Redis: reading alone');
        return READ_ALONE;
      }
    },
    record(key, state, ms) {
      if (!connection.isReady()) return;
      connection.client
        .set(LAST_PREFIX + key, JSON.stringify(state), 'PX', Math.max(1, Math.round(ms)))
        .catch(quietly('watch answer not recorded'));
    },
    release(lease) {
      if (!connection.isReady()) return;
      connection.client
        .eval(RELEASE, 1, LEASE_PREFIX + lease, me)
        .catch(quietly('watch lease not released'));
    },
    publish(message) {
      if (!connection.isReady()) return;
      connection.client
        .publish(CHANNEL, JSON.stringify({ ...message, from: me }))
        .catch(quietly('watch message not published'));
    },
    onMessage(listener) {
      listeners.push(listener);
    },
  };
}

/** The script's `{left, last}`: 0 is won, more is the holder's time left. */
function claimOf(reply: unknown): Claim {
  if (!Array.isArray(reply)) return READ_ALONE;
  const [left, last] = reply as unknown[];
  return {
    waitMs: typeof left === 'number' && left > 0 ? left : 0,
    last: typeof last === 'string' ? stateOf(last) : undefined,
  };
}

function stateOf(text: string): WatchedState | undefined {
  try {
    return parseWatchedState(JSON.parse(text));
  } catch {
    return undefined;
  }
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
