import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/logger.js';
import type { RedisConnection } from '../redis/connection.js';
import { LocalHolds } from './local-holds.js';

/** Where a hold came from: a 429 this replica received, or one another replica published. */
export type HoldSource = 'here' | 'fleet';

export interface HoldBoard {
  /** Milliseconds until `key` may be called again (0: not held); a Map look-up, no Redis. */
  remainingMs(key: string): number;
  /** Holds `key` for `ms` here and, with Redis, on every replica. */
  hold(key: string, ms: number): void;
  /** Keys held now. */
  size(): number;
}

export interface SharedHoldsOptions {
  readonly connection: RedisConnection | undefined;
  readonly logger: Logger;
  readonly onHold?: ((source: HoldSource) => void) | undefined;
}

/**
 * Longest hold taken from a `Retry-After`. Partner Center's published limits are per minute
 * (500 requests a minute per partner tenant), so a window it throttles ends within one; a longer
 * value is a longer penalty, which the one call sent after a minute learns again (a call a minute
 * per held key), or a wild one (a proxy, an HTTP date read against a skewed clock), which must
 * not shut one customer out, or everyone out of a route such as the customer list, for longer.
 */
export const MAX_HOLD_MS = 60_000;
const MAX_KEYS = 10_000;
const MAX_KEY_LENGTH = 200;
/** Catching up asks at most this many holds; they are few (429s are rare). */
const CATCH_UP_LIMIT = 1_000;
const CATCH_UP_RETRY_MS = 500;
const CATCH_UP_TRIES = 10;

export const HOLDS_CHANNEL = 'pcgw:v1:holds';
/** A sorted set of held keys scored by their end (epoch ms), for replicas that (re)connect. */
export const HOLDS_KEY = 'pcgw:v1:holds';

interface HoldMessage {
  readonly from: string;
  readonly key: string;
  readonly ms: number;
}

function parseMessage(text: string): HoldMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { from, key, ms } = value as Record<string, unknown>;
  if (typeof from !== 'string' || typeof key !== 'string' || typeof ms !== 'number') {
    return undefined;
  }
  if (key.length > MAX_KEY_LENGTH || !Number.isFinite(ms) || ms <= 0) return undefined;
  return { from, key, ms: Math.min(ms, MAX_HOLD_MS) };
}

/**
 * 429 holds shared by the fleet. Each replica keeps them in memory (every call looks one up);
 * a new hold is published over Redis pub/sub, so the others have it within a round trip, and
 * stored in a sorted set (expiring after the longest hold), so a replica that connects or
 * reconnects catches up on those still running. The message carries the hold's length, not its
 * end, so the replicas' clocks need not agree; the catch-up uses ends, so there they must
 * roughly (NTP). Without Redis the holds are this replica's alone.
 */
export function createSharedHolds(options: SharedHoldsOptions): HoldBoard {
  const { connection, logger, onHold } = options;
  const local = new LocalHolds(MAX_KEYS);
  const self = randomUUID();

  async function catchUp(): Promise<void> {
    if (connection === undefined) return;
    for (let attempt = 1; attempt <= CATCH_UP_TRIES; attempt += 1) {
      try {
        const now = Date.now();
        const found = await connection.client.zrangebyscore(
          HOLDS_KEY,
          now,
          '+inf',
          'WITHSCORES',
          'LIMIT',
          0,
          CATCH_UP_LIMIT,
        );
        for (let i = 0; i + 1 < found.length; i += 2) {
          const key = found[i] as string;
          const until = Math.min(Number(found[i + 1]), now + MAX_HOLD_MS);
          if (key.length <= MAX_KEY_LENGTH && local.hold(key, until, now)) onHold?.('fleet');
        }
        return;
      } catch {
        // The subscriber is back before the command connection: try again shortly.
        await new Promise((resolve) => setTimeout(resolve, CATCH_UP_RETRY_MS));
      }
    }
    logger.warn({}, 'could not read the fleet’s 429 holds from Redis; new ones still arrive');
  }

  connection?.subscribe(
    HOLDS_CHANNEL,
    (text) => {
      const message = parseMessage(text);
      if (message === undefined || message.from === self) return;
      if (local.hold(message.key, Date.now() + message.ms)) onHold?.('fleet');
    },
    () => void catchUp(),
  );

  return {
    remainingMs: (key) => local.remainingMs(key),
    hold(key, ms) {
      const length = Math.min(ms, MAX_HOLD_MS);
      const now = Date.now();
      if (!local.hold(key, now + length, now)) return;
      onHold?.('here');
      if (connection === undefined || !connection.isReady()) return;
      const message: HoldMessage = { from: self, key, ms: length };
      connection.client
        .multi()
        .zadd(HOLDS_KEY, now + length, key)
        .zremrangebyscore(HOLDS_KEY, '-inf', now)
        .pexpire(HOLDS_KEY, MAX_HOLD_MS)
        .publish(HOLDS_CHANNEL, JSON.stringify(message))
        .exec()
        .catch(() => undefined); // Redis went away: the hold stays this replica's own.
    },
    size: () => local.live(),
  };
}
