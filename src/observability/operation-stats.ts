/** What one GraphQL operation cost upstream; logged, measured and (on request) returned. */
export interface OperationStats {
  /** HTTP requests sent to Partner Center, retries included. */
  upstreamCalls: number;
  /** Of those, retries. */
  retries: number;
  /** Customer reads the resolvers asked for. */
  loads: number;
  /** Distinct customers actually fetched; `loads - uniqueLoads` were de-duplicated. */
  uniqueLoads: number;
  /** Of those, answered by the gateway's cache (memory or Redis) without a Partner Center call. */
  cacheHits: number;
  /** Calls that waited for room in the call budget, and for how long in all (ms). */
  budgetWaits: number;
  budgetWaitMs: number;
}

export function newOperationStats(): OperationStats {
  return {
    upstreamCalls: 0,
    retries: 0,
    loads: 0,
    uniqueLoads: 0,
    cacheHits: 0,
    budgetWaits: 0,
    budgetWaitMs: 0,
  };
}
