import { randomUUID } from 'node:crypto';
import type { ContextCache } from '../graphql/context.js';
import type { PartnerCenterApi } from '../partner-center/client.js';
import type { CallContext } from '../partner-center/types.js';
import type { WatchRead, WatchReader } from '../watch/watch-hub.js';

export interface WatchReaderOptions {
  readonly api: PartnerCenterApi;
  readonly cache: ContextCache | undefined;
  /** Whose view (src/cache/scope.ts): the cache entries read and written are this scope's. */
  readonly scope: string;
  readonly authorize: () => Promise<string>;
  readonly callerCredentials: boolean;
  /** Each read ends by then, as an operation would. */
  readonly timeoutMs: number;
  readonly forwardedHeaders: Readonly<Record<string, string>>;
}

/**
 * A subscriber's reads of its customers: through the cache like any operation's (a fresh entry
 * is the answer, and a read refreshes the entry for every caller of the scope), with the
 * subscriber's credentials. Polls go as background work (`purpose: 'watch'`).
 */
export function createWatchReader(options: WatchReaderOptions): WatchReader {
  const { api, cache, scope } = options;
  return {
    callerCredentials: options.callerCredentials,
    async read(id, purpose): Promise<WatchRead> {
      const call: CallContext = {
        authorize: options.authorize,
        correlationId: randomUUID(),
        forwardedHeaders: options.forwardedHeaders,
        signal: AbortSignal.timeout(options.timeoutMs),
        deadlineAt: Date.now() + options.timeoutMs,
        purpose,
      };
      if (cache === undefined) {
        const value = await api.getCustomerQualifications(id, call);
        return { state: stateOf(value, Date.now()), stale: false };
      }
      const answer = await cache.readCache.read(
        cache.qualifications,
        scope,
        id,
        (shared) => api.getCustomerQualifications(id, shared),
        { call, readThrough: false },
      );
      return { state: stateOf(answer.value, answer.readAt), stale: answer.stale };
    },
  };
}

function stateOf(
  value: Awaited<ReturnType<PartnerCenterApi['getCustomerQualifications']>>,
  readAt: number,
) {
  return { known: value !== null, qualifications: value ?? [], readAt };
}
