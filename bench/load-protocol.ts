import type { WorkloadName } from './workloads.js';

/**
 * Messages between the benchmark and its load worker. The worker is a separate process so the
 * load generator's event loop never shares a thread with the code that samples /proc and talks
 * to the simulator, and so its CPU shows up apart from the gateway's.
 */

export interface LoadPlan {
  readonly workload: WorkloadName;
  /** Origins of the gateway(s) or, for the REST workload, the simulator; connections alternate. */
  readonly origins: readonly string[];
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
}

export interface LoadResult {
  /** 2xx answers within the measured phase: the completed operations. */
  readonly completed: number;
  readonly non2xx: number;
  /** Connection errors and timeouts, as autocannon counts them. */
  readonly errors: number;
  readonly timeouts: number;
  /** 2xx GraphQL answers that still carried `errors`. */
  readonly graphqlErrors: number;
  readonly durationSeconds: number;
  /** Milliseconds, autocannon's whole-millisecond histogram. */
  readonly latencyMs: {
    readonly mean: number;
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
  /** Operations built since the worker started, warm-up included: proof the ids rotated. */
  readonly operationsBuilt: number;
  /** The worker's own CPU time during the measured phase (user + system). */
  readonly cpuSeconds: number;
}

export type ParentMessage =
  | { readonly type: 'plan'; readonly plan: LoadPlan }
  /** Sent once the benchmark has taken its "before" readings. */
  | { readonly type: 'measure' };

export type WorkerMessage =
  | { readonly type: 'warmedUp' }
  | { readonly type: 'result'; readonly result: LoadResult }
  | { readonly type: 'failed'; readonly message: string };
