import DataLoader from 'dataloader';
import { fromUpstream } from './errors.js';
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
}

/** Told the size of every batch, for the de-duplication and batching metrics. */
export type BatchObserver = (size: number) => void;

/**
 * One set of loaders per GraphQL operation: the cache de-duplicates within the operation and is
 * dropped with it, so one caller's answers are never served to another.
 */
export function createLoaders(
  api: PartnerCenterApi,
  call: CallContext,
  observeBatch: BatchObserver = () => undefined,
): Loaders {
  return {
    customer: new DataLoader<string, CustomerRecord | null>((ids) => {
      observeBatch(ids.length);
      if (call.stats) call.stats.uniqueLoads += ids.length;
      // Partner Center has no batch read: one call per unique id, failures kept per key.
      return Promise.all(
        ids.map((id) =>
          api.getCustomerQualifications(id, call).then(
            (qualifications) => (qualifications === null ? null : { id, qualifications }),
            (error: unknown) => fromUpstream(error),
          ),
        ),
      );
    }),
    profile: new DataLoader<string, CustomerProfileRecord | null>((ids) => {
      observeBatch(ids.length);
      if (call.stats) call.stats.uniqueLoads += ids.length;
      return Promise.all(
        ids.map((id) => api.getCustomer(id, call).catch((error: unknown) => fromUpstream(error))),
      );
    }),
    validationCodes: new DataLoader<'all', ValidationCodeRecord[]>((keys) =>
      api.getValidationCodes(call).then(
        (codes) => keys.map(() => codes),
        (error: unknown) => keys.map(() => fromUpstream(error)),
      ),
    ),
  };
}
