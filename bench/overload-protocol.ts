import type { WorkloadName } from './workloads.js';

/** Messages between the benchmark and its overload load worker (see overload-worker.ts). */

export interface OverloadPlan {
  readonly workload: WorkloadName;
  readonly origin: string;
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
  /** A caller gives up after this long (autocannon's default, 10 s, as in the issue). */
  readonly clientTimeoutMs: number;
  /** After a 503, a caller waits its `Retry-After` before sending again (false: at once). */
  readonly honourRetryAfter: boolean;
}

export interface Percentiles {
  readonly p50: number | undefined;
  readonly p99: number | undefined;
}

export interface OverloadLoad {
  readonly seconds: number;
  /** 200 without any error: fully answered operations, the goodput. */
  readonly answered: number;
  /** 503 OVERLOADED: refused at the door. */
  readonly refused: number;
  readonly refusedWithRetryAfter: number;
  /** 200 with some errors (a field shed, timed out or failed). */
  readonly partial: number;
  /** Callers that gave up waiting (client timeout). */
  readonly gaveUp: number;
  /** Anything else: other statuses, connection errors. */
  readonly other: number;
  readonly upstreamTimeoutOperations: number;
  readonly upstreamTimeoutFields: number;
  readonly overloadedFields: number;
  /** Error codes in the answers callers received, by count. */
  readonly errorCodes: Readonly<Record<string, number>>;
  readonly answeredMs: Percentiles;
  readonly refusedMs: Percentiles;
}

export type OverloadParentMessage =
  { readonly type: 'plan'; readonly plan: OverloadPlan } | { readonly type: 'measure' };

export type OverloadWorkerMessage =
  | { readonly type: 'warmedUp' }
  | { readonly type: 'result'; readonly result: OverloadLoad }
  | { readonly type: 'failed'; readonly message: string };
