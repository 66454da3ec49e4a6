import DataLoader from 'dataloader';
import { fromUpstream } from './errors.js';
import type { CacheKind } from '../cache/kind.js';
import type { ProfileRead } from '../cache/profiles.js';
import type { QualificationsRead } from '../cache/qualifications.js';
import type { CachedRead, ReadCache } from '../cache/read-cache.js';
import type { PartnerCenterApi } from '../partner-center/client.js';
import type {
  CallContext,
  CustomerProfileRecord,
  CustomerRecord,
  ValidationCodeRecord,
} from '../partner-center/types.js';

export interface Loaders {
  /** Keyed by normalised customer id; `null` for a customer Partner Center does not know. */
  readonly customer: DataLoader<string, CustomerRecord | null>;
  /** Company profiles, keyed by normalised customer id; `null` for an unknown customer. */
  readonly profile: DataLoader<string, CustomerProfileRecord | null>;
  /** The partner's GCC validation codes, read at most once per operation. */
  readonly validationCodes: DataLoader<'all', ValidationCodeRecord[]>;
  /** How each customer's qualifications answer was had, by customer id, as `customer` read it. */
  readonly qualificationsReads: ReadonlyMap<string, QualificationsReadInfo>;
}

export interface QualificationsReadInfo {
  /** When Partner Center gave the answer (earlier than now when the cache gave it). */
  readonly readAt: Date;
  /** Served past its freshness because Partner Center failed. */
  readonly stale: boolean;
}

/** Told the size of every batch, for the de-duplication and batching metrics. */
export type BatchObserver = (size: number) => void;

/** How this operation's customer reads go through the process-wide cache. */
export interface CachedReads {
  readonly cache: ReadCache;
  readonly kinds: {
    readonly qualifications: CacheKind<QualificationsRead>;
    readonly profiles: CacheKind<ProfileRead>;
  };
  /** Whose view the caller has (src/cache/scope.ts). */
  readonly scope: string;
  /** `Cache-Control: no-cache` on the request: ask Partner Center and refresh the entries. */
  readonly readThrough: boolean;
  /** Told of every answer, so the response promises no more freshness than its entries have. */
  readonly onRead: (read: CachedRead<unknown>) => void;
}

/**
 * One set of loaders per GraphQL operation: the DataLoader de-duplicates within the operation
 * and is dropped with it. Across operations only the cache shares answers, and only within the
 * caller's scope.
 */
export function createLoaders(
  api: PartnerCenterApi,
  call: CallContext,
  observeBatch: BatchObserver = () => undefined,
  cached?: CachedReads,
): Loaders {
  const reads = new Map<string, QualificationsReadInfo>();
  const record = (
    id: string,
    qualifications: QualificationsRead,
    readAt: number,
    stale: boolean,
  ) => {
    reads.set(id, { readAt: new Date(readAt), stale });
    return qualifications === null ? null : { id, qualifications };
  };
  /** One read through the cache, when it is on; `fetch` asks Partner Center. */
  const throughCache = <T>(
    kind: keyof CachedReads['kinds'],
    id: string,
    fetch: (call: CallContext) => Promise<T>,
  ): Promise<CachedRead<T>> => {
    if (cached === undefined) {
      return fetch(call).then((value) => ({
        value,
        readAt: Date.now(),
        freshUntil: Date.now(),
        stale: false,
        source: 'upstream' as const,
      }));
    }
    const { cache, kinds, scope, readThrough, onRead } = cached;
    return cache
      .read(kinds[kind] as CacheKind<T>, scope, id, fetch, { call, readThrough })
      .then((answer) => {
        if (answer.source !== 'upstream' && !answer.stale && call.stats) call.stats.cacheHits += 1;
        onRead(answer);
        return answer;
      });
  };
  const read = (id: string): Promise<CustomerRecord | null> =>
    throughCache('qualifications', id, (shared) => api.getCustomerQualifications(id, shared)).then(
      (answer) => record(id, answer.value, answer.readAt, answer.stale),
    );
  return {
    customer: new DataLoader<string, CustomerRecord | null>((ids) => {
      observeBatch(ids.length);
      if (call.stats) call.stats.uniqueLoads += ids.length;
      // Partner Center has no batch read: one call per unique id, failures kept per key.
      return Promise.all(
        ids.map((id) =>
          read(id).catch((error: unknown) => fromUpstream(error, { customerId: id })),
        ),
      );
    }),
    profile: new DataLoader<string, CustomerProfileRecord | null>((ids) => {
      observeBatch(ids.length);
      if (call.stats) call.stats.uniqueLoads += ids.length;
      return Promise.all(
        ids.map((id) =>
          throughCache('profiles', id, (shared) => api.getCustomer(id, shared)).then(
            (answer) => answer.value,
            (error: unknown) => fromUpstream(error, { customerId: id }),
          ),
        ),
      );
    }),
    validationCodes: new DataLoader<'all', ValidationCodeRecord[]>((keys) =>
      api.getValidationCodes(call).then(
        (codes) => keys.map(() => codes),
        (error: unknown) => keys.map(() => fromUpstream(error)),
      ),
    ),
    qualificationsReads: reads,
  };
}
