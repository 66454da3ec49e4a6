import type { Redis } from 'ioredis';
import type { RedisConnection } from '../redis/connection.js';
import { decodeEntry, encodeEntry, type CacheEntry, type CacheKind } from './kind.js';

/** What Redis holds for one customer and scope. */
export interface RedisLookup<T> {
  /** The entry, if it was written under the customer's current generation. */
  readonly entry: CacheEntry<T> | undefined;
  /** The customer's write generation now: a store must be made under the same one. */
  readonly generation: number;
}

const PREFIX = 'pcgw:v1';
const REST_AFTER_FAILURE_MS = 1_000;
/** Where a write tells every replica to drop a customer from memory: `kind:id`. */
export const INVALIDATION_CHANNEL = `${PREFIX}:invalidate`;

// Stores only if no write has bumped the generation since the read began, atomically: a read
// that was in flight during a write, on any replica, cannot put its pre-write answer back.
const SET_IF_GENERATION = `
local current = redis.call('GET', KEYS[2])
if (current or '0') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

/**
 * The shared tier. Keys are `pcgw:v1:<kind>:<customer id>:<scope>` for entries and
 * `pcgw:v1:<kind>:<customer id>:gen` for the customer's write generation; values hold the
 * answer and its times, never a credential. Every method gives up quietly while Redis is away:
 * `undefined` means "Redis did not say".
 */
export class RedisTier {
  private readonly redis: Redis;
  /**
   * After a failed command, Redis is left alone for a moment: a Redis that stopped answering
   * without closing the connection would otherwise cost every read the command timeout.
   */
  private restUntil = 0;

  constructor(
    private readonly connection: RedisConnection,
    /** How long a generation outlives the longest-lived entry it guards. */
    private readonly generationTtlMs: number,
  ) {
    this.redis = connection.client;
  }

  async lookup<T>(
    kind: CacheKind<T>,
    id: string,
    scope: string,
  ): Promise<RedisLookup<T> | undefined> {
    if (!this.usable()) return undefined;
    try {
      const [text, generationText] = await this.redis.mget(
        entryKey(kind.name, id, scope),
        generationKey(kind.name, id),
      );
      const generation = Number(generationText ?? 0);
      const entry = text == null ? undefined : decodeEntry(kind, text);
      return {
        entry:
          entry?.generation === generation && entry.staleUntil > Date.now() ? entry : undefined,
        generation,
      };
    } catch {
      this.failed();
      return undefined;
    }
  }

  /** True when stored, false when a write came first, `undefined` when Redis did not answer. */
  async store<T>(
    kind: CacheKind<T>,
    id: string,
    scope: string,
    entry: CacheEntry<T>,
  ): Promise<boolean | undefined> {
    const ttl = entry.staleUntil - Date.now();
    if (ttl <= 0 || !this.usable()) return undefined;
    try {
      const stored = await this.redis.eval(
        SET_IF_GENERATION,
        2,
        entryKey(kind.name, id, scope),
        generationKey(kind.name, id),
        String(entry.generation),
        encodeEntry(entry),
        String(ttl),
      );
      return stored === 1;
    } catch {
      this.failed();
      return undefined;
    }
  }

  /**
   * A write: a new generation makes every scope's entry for the customer dead at once (no scan
   * of the keyspace), and the message drops it from every replica's memory.
   */
  async invalidate(kind: string, id: string): Promise<boolean> {
    if (!this.connection.isReady()) return false;
    try {
      const key = generationKey(kind, id);
      await this.redis
        .multi()
        .incr(key)
        .pexpire(key, this.generationTtlMs)
        .publish(INVALIDATION_CHANNEL, `${kind}:${id}`)
        .exec();
      return true;
    } catch {
      return false;
    }
  }

  private usable(): boolean {
    return this.connection.isReady() && Date.now() >= this.restUntil;
  }

  private failed(): void {
    this.restUntil = Date.now() + REST_AFTER_FAILURE_MS;
  }

  /** Calls back for every replica's write; `onReconnect` when messages may have been missed. */
  listen(onInvalidate: (kind: string, id: string) => void, onReconnect: () => void): void {
    this.connection.subscribe(
      INVALIDATION_CHANNEL,
      (message) => {
        const colon = message.indexOf(':');
        if (colon > 0) onInvalidate(message.slice(0, colon), message.slice(colon + 1));
      },
      (reconnected) => {
        if (reconnected) onReconnect();
      },
    );
  }
}

function entryKey(kind: string, id: string, scope: string): string {
  return `${PREFIX}:${kind}:${id}:${scope}`;
}

function generationKey(kind: string, id: string): string {
  return `${PREFIX}:${kind}:${id}:gen`;
}
