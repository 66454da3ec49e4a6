import type { Logger } from '../observability/logger.js';
import type { RedisConnection } from '../redis/connection.js';

/**
 * What the feed remembers between reads, shared by the fleet when there is Redis: the records
 * already applied (by the UTC day they happened on) and when the last complete read began.
 */
export interface AppliedRecords {
  /** Of `ids` (records of `day`), the ones not applied yet. */
  unapplied(day: string, ids: readonly string[]): Promise<string[]>;
  markApplied(day: string, ids: readonly string[]): Promise<void>;
  /** Epoch ms when the last complete read began; `undefined`: never (or forgotten). */
  lastReadAt(): Promise<number | undefined>;
  setLastReadAt(at: number): Promise<void>;
}

/** A day's set outlives the day after it, the last one that reads it again. */
const DAY_TTL_SECONDS = 2 * 86_400 + 3_600;
const PREFIX = 'pcgw:v1:audit';

/** This process only: a restart may apply today's records again (each costs one re-read). */
export function memoryAppliedRecords(): AppliedRecords {
  const days = new Map<string, Set<string>>();
  let last: number | undefined;
  return {
    unapplied: (day, ids) => Promise.resolve(ids.filter((id) => days.get(day)?.has(id) !== true)),
    markApplied(day, ids) {
      let set = days.get(day);
      if (set === undefined) days.set(day, (set = new Set()));
      for (const id of ids) set.add(id);
      // Only today's and yesterday's sets are ever read again.
      for (const known of [...days.keys()].sort().slice(0, -2)) days.delete(known);
      return Promise.resolve();
    },
    lastReadAt: () => Promise.resolve(last),
    setLastReadAt(at) {
      last = at;
      return Promise.resolve();
    },
  };
}

/**
 * In Redis, so a restarted or newly elected reader replays nothing. While Redis does not answer
 * it falls back to this process's memory: a record may then be applied twice (harmless: one
 * more read of that customer), never skipped.
 */
export function redisAppliedRecords(connection: RedisConnection, logger: Logger): AppliedRecords {
  const local = memoryAppliedRecords();
  const client = connection.client;
  const failed = (error: unknown) => {
    logger.debug({ err: error }, 'audit records bookkeeping not in Redis: this replica remembers');
  };
  return {
    async unapplied(day, ids) {
      const fresh = await local.unapplied(day, ids);
      if (fresh.length === 0 || !connection.isReady()) return fresh;
      try {
        const known = await client.smismember(`${PREFIX}:applied:${day}`, ...fresh);
        return fresh.filter((_, index) => known[index] !== 1);
      } catch (error) {
        failed(error);
        return fresh;
      }
    },
    async markApplied(day, ids) {
      await local.markApplied(day, ids);
      if (ids.length === 0 || !connection.isReady()) return;
      const key = `${PREFIX}:applied:${day}`;
      try {
        await client
          .multi()
          .sadd(key, ...ids)
          .expire(key, DAY_TTL_SECONDS)
          .exec();
      } catch (error) {
        failed(error);
      }
    },
    async lastReadAt() {
      if (connection.isReady()) {
        try {
          const text = await client.get(`${PREFIX}:last-read`);
          const at = Number(text);
          if (text !== null && Number.isSafeInteger(at)) return at;
        } catch (error) {
          failed(error);
        }
      }
      return local.lastReadAt();
    },
    async setLastReadAt(at) {
      await local.setLastReadAt(at);
      if (!connection.isReady()) return;
      try {
        await client.set(`${PREFIX}:last-read`, String(at), 'EX', DAY_TTL_SECONDS);
      } catch (error) {
        failed(error);
      }
    },
  };
}
