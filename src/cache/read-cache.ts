import type { Logger } from '../observability/logger.js';
import type { CallContext } from '../partner-center/types.js';
import type { RedisConnection } from '../redis/connection.js';
import { Flights, type Flight } from './flights.js';
import type { CacheEntry, CacheKind } from './kind.js';
import { MemoryTier } from './memory-tier.js';
import { RedisTier } from './redis-tier.js';
import { UpstreamError } from '../partner-center/upstream-error.js';
import { staleMayCover } from './stale-if-error.js';

export type CacheTier = 'memory' | 'redis';
export type LookupResult = 'hit' | 'miss' | 'stale' | 'bypass';

/** One answer given by the cache. */
export interface CachedRead<T> {
  readonly value: T;
  /** When Partner Center gave this answer (epoch ms). */
  readonly readAt: number;
  /** Until when it is fresh (epoch ms); `Cache-Control` promises no more than this. */
  readonly freshUntil: number;
  /** Served past its freshness because Partner Center failed. */
  readonly stale: boolean;
  /** `upstream` also when the call was shared with concurrent readers. */
  readonly source: CacheTier | 'upstream';
}

export interface ReadOptions {
  /**
   * The reader's credentials, deadline and signal. A shared call runs with the first reader's
   * credentials and trace, its own signal and the latest deadline among its readers.
   */
  readonly call: CallContext;
  /** Ask Partner Center even if a fresh entry exists, and refresh it (`Cache-Control: no-cache`). */
  readonly readThrough: boolean;
}

export interface ReadCacheOptions {
  readonly maxEntries: number;
  readonly staleIfErrorSeconds: number;
  readonly logger: Logger;
  /** The shared tier; absent, the cache lives in this process only. */
  readonly redis?: RedisConnection | undefined;
  /** The longest any entry lives (freshness plus stale-if-error), to bound write generations. */
  readonly maxEntryLifetimeSeconds: number;
  readonly observe?: ((tier: CacheTier, result: LookupResult) => void) | undefined;
}

export interface ReadCache {
  /** `scope` is whose view (see scope.ts); `id` the normalised customer id. */
  read<T>(
    kind: CacheKind<T>,
    scope: string,
    id: string,
    fetch: (call: CallContext) => Promise<T>,
    options: ReadOptions,
  ): Promise<CachedRead<T>>;
  /** Cheap and synchronous: could this read be answered from this process's memory now? */
  isFreshInMemory(kind: string, scope: string, id: string): boolean;
  /** After a write: the customer's entries go in every scope, here and on every replica. */
  invalidate(kind: string, id: string): Promise<void>;
}

interface Shared<T> {
  readonly entry: CacheEntry<T>;
  readonly source: CacheTier | 'upstream';
}

/** A shared read failed; Redis's stale entry, if any, travels with the failure. */
class SharedFailure<T> extends Error {
  constructor(
    override readonly cause: unknown,
    readonly stale: CacheEntry<T> | undefined,
    /** The deadline the call was planned for (epoch ms; undefined: none). */
    readonly plannedFor: number | undefined,
  ) {
    super('shared read failed');
  }
}

/**
 * Whether a reader with `deadlineAt` should try on its own after the shared call failed: the
 * call was never sent because of the time it had (shed from the slot queue, or kept back by the
 * call budget or a hold it could not wait out), and this reader has more time than that call
 * was given. A reader that joined a run started by a caller short of time must not share its
 * fate; a refusal for any other reason would be the same for it.
 */
function keptToAnEarlierDeadline(thrown: unknown, deadlineAt: number | undefined): boolean {
  if (!(thrown instanceof SharedFailure) || thrown.plannedFor === undefined) return false;
  const error: unknown = thrown.cause;
  if (!(error instanceof UpstreamError)) return false;
  // A watch poll's call yields to interactive ones: a reader who joined it goes on its own.
  if (error.kind === 'deferred') return true;
  if (error.kind !== 'overloaded' && error.kind !== 'rate-limited') return false;
  return deadlineAt === undefined || deadlineAt > thrown.plannedFor;
}

export function createReadCache(options: ReadCacheOptions): ReadCache {
  const memory = new MemoryTier(options.maxEntries);
  const flights = new Flights();
  const staleMs = options.staleIfErrorSeconds * 1000;
  const observe = options.observe ?? (() => undefined);
  const { logger } = options;
  const redis =
    options.redis === undefined
      ? undefined
      : new RedisTier(options.redis, 2 * options.maxEntryLifetimeSeconds * 1000 + 60_000);

  const dropLocally = (kind: string, id: string) => {
    memory.deleteCustomer(kind, id);
    flights.invalidate(group(kind, id));
  };
  redis?.listen(dropLocally, () => {
    // Writes published while this replica was cut off were missed: start memory afresh.
    memory.clear();
  });

  async function readShared<T>(
    kind: CacheKind<T>,
    scope: string,
    id: string,
    fetch: (call: CallContext) => Promise<T>,
    call: CallContext,
    readThrough: boolean,
    flight: Flight,
  ): Promise<Shared<T>> {
    // Without Redis the generation is only local, and `flight.invalidated` covers it.
    let generation: number | undefined = 0;
    let redisStale: CacheEntry<T> | undefined;
    if (redis !== undefined) {
      const found = await redis.lookup(kind, id, scope);
      generation = found?.generation;
      const entry = found?.entry;
      if (!readThrough && entry !== undefined && Date.now() < entry.freshUntil) {
        observe('redis', 'hit');
        if (!flight.invalidated) memory.set(kind.name, id, scope, entry);
        return { entry, source: 'redis' };
      }
      observe('redis', readThrough ? 'bypass' : entry === undefined ? 'miss' : 'stale');
      redisStale = entry;
    }
    let value: T;
    const deadlineAt = flight.deadlineAt;
    try {
      // The first reader's credentials (the same for the whole scope) and trace; the run's own
      // signal, and the latest deadline of its readers by the time the call starts.
      value = await fetch({ ...call, signal: flight.signal, deadlineAt });
    } catch (error) {
      throw new SharedFailure(error, redisStale, deadlineAt);
    }
    const readAt = Date.now();
    const freshUntil = readAt + kind.maxAgeSeconds(value) * 1000;
    const entry: CacheEntry<T> = {
      value,
      readAt,
      freshUntil,
      staleUntil: freshUntil + staleMs,
      generation: generation ?? 0,
    };
    // Read afresh after every await: a write may come at any time.
    const stillValid = () => !flight.invalidated;
    if (stillValid()) {
      // A generation Redis did not give cannot be checked there: memory only, then.
      const stored =
        redis !== undefined && generation !== undefined
          ? await redis.store(kind, id, scope, entry)
          : undefined;
      if (stored !== false && stillValid()) memory.set(kind.name, id, scope, entry);
    }
    return { entry, source: 'upstream' };
  }

  async function read<T>(
    kind: CacheKind<T>,
    scope: string,
    id: string,
    fetch: (call: CallContext) => Promise<T>,
    { call, readThrough }: ReadOptions,
  ): Promise<CachedRead<T>> {
    const now = Date.now();
    const inMemory = memory.get<T>(kind.name, id, scope, now);
    if (!readThrough && inMemory !== undefined && now < inMemory.freshUntil) {
      observe('memory', 'hit');
      return served(inMemory, 'memory', false);
    }
    observe('memory', readThrough ? 'bypass' : inMemory === undefined ? 'miss' : 'stale');
    const key = `${group(kind.name, id)}\u0000${scope}${readThrough ? '\u0000refresh' : ''}`;
    const run = () =>
      flights.join(key, group(kind.name, id), call, (flight) =>
        readShared(kind, scope, id, fetch, call, readThrough, flight),
      );
    try {
      // Once: the run this reader joined has ended, so a new one starts under its deadline (and
      // the other readers in the same position share it).
      const shared = await run().catch((thrown: unknown) => {
        if (!keptToAnEarlierDeadline(thrown, call.deadlineAt)) throw thrown;
        return run();
      });
      return served(shared.entry, shared.source, false);
    } catch (thrown) {
      const failure = thrown instanceof SharedFailure ? (thrown as SharedFailure<T>) : undefined;
      const error: unknown = failure === undefined ? thrown : failure.cause;
      const fallback = newest(inMemory, failure?.stale);
      if (fallback !== undefined && Date.now() < fallback.staleUntil && staleMayCover(error)) {
        logger.info(
          {
            kind: kind.name,
            ageMs: Date.now() - fallback.readAt,
            correlationId: call.correlationId,
          },
          'Partner Center failed: answering a stale cache entry',
        );
        return served(fallback, fallback === inMemory ? 'memory' : 'redis', true);
      }
      throw error;
    }
  }

  return {
    read,

    isFreshInMemory(kind, scope, id) {
      const entry = memory.peek(kind, id, scope);
      return entry !== undefined && Date.now() < entry.freshUntil;
    },

    async invalidate(kind, id) {
      dropLocally(kind, id);
      if (redis !== undefined && !(await redis.invalidate(kind, id))) {
        logger.warn(
          { kind },
          'Redis unreachable: other replicas may answer the customer from memory until their entries expire',
        );
      }
    },
  };
}

function group(kind: string, id: string): string {
  return `${kind}\u0000${id}`;
}

function newest<T>(a: CacheEntry<T> | undefined, b: CacheEntry<T> | undefined) {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.readAt > a.readAt ? b : a;
}

function served<T>(
  entry: CacheEntry<T>,
  source: CachedRead<T>['source'],
  stale: boolean,
): CachedRead<T> {
  return { value: entry.value, readAt: entry.readAt, freshUntil: entry.freshUntil, stale, source };
}
