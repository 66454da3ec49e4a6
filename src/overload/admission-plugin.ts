import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../graphql/context.js';
import { overloaded } from '../graphql/errors.js';
import { readCount, type AfterBudget } from '../graphql/upstream-budget.js';
import type { Admission } from './admission.js';

export interface AdmissionPluginDeps {
  readonly admission: Admission;
  readonly upstreamTimeoutMs: number;
  /**
   * Cache first: of these customers (their qualification reads), how many Partner Center must
   * be asked for. Reads the
   * cross-request cache will answer cost no upstream call, so they are neither charged nor ever
   * refused; an operation answered wholly from cache is always admitted. Absent (the cache
   * off), every read is charged.
   */
  readonly uncachedReads?:
    ((customerIds: ReadonlySet<string>, context: Context) => number | Promise<number>) | undefined;
  /** Told of every refusal (metrics). */
  readonly onRefused?: (() => void) | undefined;
}

export interface AdmissionPlugin {
  /** For `upstreamBudgetPlugin`: decides once the operation's reads are counted. */
  readonly afterBudget: AfterBudget;
  /** Ends each admitted operation's reservation with its response. */
  readonly plugin: ApolloServerPlugin<Context>;
}

const allUncached = (customerIds: ReadonlySet<string>): number => customerIds.size;

/**
 * Refuses an operation with OVERLOADED (HTTP 503, `Retry-After`) before any upstream call when
 * its reads could not finish within what each call may wait: the smaller of the time left to the
 * operation's deadline and `UPSTREAM_TIMEOUT_MS`, which bounds a call's wait for a slot too.
 */
export function admissionPlugin(deps: AdmissionPluginDeps): AdmissionPlugin {
  const { admission } = deps;
  const uncachedReads = deps.uncachedReads ?? allUncached;
  // The contextValue is the same object from didResolveOperation to willSendResponse.
  const reservations = new WeakMap<Context, () => void>();

  const afterBudget: AfterBudget = async (planned, context) => {
    const { customerIds } = planned;
    const all = readCount(planned);
    if (all === 0 || context.call.signal?.aborted === true) return;
    // A cache that cannot answer the question (Redis down) must not fail the operation: charge
    // every read, as if nothing were cached. Profile and directory reads are charged in full.
    const cached = await Promise.resolve()
      .then(() => uncachedReads(customerIds, context))
      .then(
        (uncached) => customerIds.size - uncached,
        () => 0,
      );
    const reads = all - Math.max(0, cached);
    const deadlineLeft =
      context.call.deadlineAt === undefined
        ? Number.POSITIVE_INFINITY
        : context.call.deadlineAt - Date.now();
    // Attempts that took a slot, less the retries among them (a retry still waiting is a read
    // still to come): how many of its reads the in-flight limit has counted so far.
    const { stats } = context;
    const decision = admission.admit(
      reads,
      Math.min(deadlineLeft, deps.upstreamTimeoutMs),
      () => stats.upstreamCalls - stats.retries,
    );
    if (decision.admitted) {
      reservations.set(context, decision.release);
      return;
    }
    deps.onRefused?.();
    throw overloaded(
      `The gateway is at capacity: this operation's ${reads} Partner Center reads could not finish in time. Retry in ${decision.retryAfterSeconds} s.`,
      decision.retryAfterSeconds,
    );
  };

  const end = (context: Context) => {
    reservations.get(context)?.();
    reservations.delete(context);
    return Promise.resolve();
  };

  return {
    afterBudget,
    plugin: {
      requestDidStart: () =>
        Promise.resolve({
          willSendResponse: ({ contextValue }) => end(contextValue),
        }),
    },
  };
}
