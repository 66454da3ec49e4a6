import { Pool } from 'undici';
import type {
  OverloadLoad,
  OverloadParentMessage,
  OverloadPlan,
  OverloadWorkerMessage,
} from './overload-protocol.js';
import { BENCH_AUTHORIZATION, WORKLOADS } from './workloads.js';
import { nextParentMessage, runWorker, sendToParent } from './worker-ipc.js';

/**
 * The overload run's load generator, in its own process: `connections` closed loops, each
 * sending the next operation as soon as its last one answered (a refused caller that does not
 * honour Retry-After: the worst case), every request given up after `clientTimeoutMs` as a
 * caller would. Unlike autocannon it keeps each answer's latency by kind, so refusals and
 * admitted operations get percentiles of their own.
 */

const send = (message: OverloadWorkerMessage): Promise<void> => sendToParent(message);
const nextMessage = (): Promise<OverloadParentMessage> =>
  nextParentMessage<OverloadParentMessage>();

interface Tally {
  answeredMs: number[];
  refusedMs: number[];
  partial: number;
  upstreamTimeoutOperations: number;
  upstreamTimeoutFields: number;
  overloadedFields: number;
  gaveUp: number;
  other: number;
  refusedWithRetryAfter: number;
  codes: Record<string, number>;
}

const newTally = (): Tally => ({
  answeredMs: [],
  refusedMs: [],
  partial: 0,
  upstreamTimeoutOperations: 0,
  upstreamTimeoutFields: 0,
  overloadedFields: 0,
  gaveUp: 0,
  other: 0,
  refusedWithRetryAfter: 0,
  codes: {},
});

const count = (text: string, word: string): number => text.split(word).length - 1;

function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Shared by all connections and both phases, so ids rotate across the whole run. */
let operation = 0;

/**
 * Only answers that arrive within the phase count; at its end the pool is destroyed, so what is
 * still waiting is dropped rather than waited for (a caller at 40× would not wait either).
 */
async function load(plan: OverloadPlan, seconds: number, tally: Tally): Promise<void> {
  const workload = WORKLOADS[plan.workload];
  const pool = new Pool(plan.origin, { connections: plan.connections, pipelining: 1 });
  const until = performance.now() + seconds * 1000;
  const end = setTimeout(() => void pool.destroy(), seconds * 1000);
  const loop = async () => {
    while (performance.now() < until) {
      const request = workload.request(operation);
      operation += 1;
      const sent = performance.now();
      const caller = AbortSignal.timeout(plan.clientTimeoutMs);
      try {
        const response = await pool.request({
          method: request.method,
          path: request.path,
          headers: { authorization: BENCH_AUTHORIZATION, 'content-type': 'application/json' },
          body: request.body ?? '',
          signal: caller,
        });
        const text = await response.body.text();
        if (performance.now() > until) return;
        const ms = performance.now() - sent;
        if (text.includes('"errors"')) {
          for (const [, code] of text.matchAll(/"code":"([A-Z_]+)"/g)) {
            if (code !== undefined) tally.codes[code] = (tally.codes[code] ?? 0) + 1;
          }
        }
        const timeouts = count(text, '"UPSTREAM_TIMEOUT"');
        tally.upstreamTimeoutFields += timeouts;
        if (timeouts > 0) tally.upstreamTimeoutOperations += 1;
        tally.overloadedFields += response.statusCode === 200 ? count(text, '"OVERLOADED"') : 0;
        if (response.statusCode === 200 && !text.includes('"errors"')) tally.answeredMs.push(ms);
        else if (response.statusCode === 503 && text.includes('"OVERLOADED"')) {
          tally.refusedMs.push(ms);
          if (response.headers['retry-after'] !== undefined) tally.refusedWithRetryAfter += 1;
        } else if (response.statusCode === 200) tally.partial += 1;
        else tally.other += 1;
      } catch {
        if (performance.now() > until) return;
        if (caller.aborted) tally.gaveUp += 1;
        else tally.other += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: plan.connections }, loop));
  clearTimeout(end);
  await pool.destroy().catch(() => undefined);
}

function summarise(tally: Tally, seconds: number): OverloadLoad {
  const answered = [...tally.answeredMs].sort((a, b) => a - b);
  const refused = [...tally.refusedMs].sort((a, b) => a - b);
  return {
    seconds,
    answered: answered.length,
    refused: refused.length,
    refusedWithRetryAfter: tally.refusedWithRetryAfter,
    partial: tally.partial,
    gaveUp: tally.gaveUp,
    other: tally.other,
    upstreamTimeoutOperations: tally.upstreamTimeoutOperations,
    upstreamTimeoutFields: tally.upstreamTimeoutFields,
    overloadedFields: tally.overloadedFields,
    errorCodes: tally.codes,
    answeredMs: { p50: percentile(answered, 50), p99: percentile(answered, 99) },
    refusedMs: { p50: percentile(refused, 50), p99: percentile(refused, 99) },
  };
}

async function main(): Promise<void> {
  const first = await nextMessage();
  if (first.type !== 'plan') throw new Error(`expected a plan, got ${first.type}`);
  const { plan } = first;
  if (plan.warmupSeconds > 0) await load(plan, plan.warmupSeconds, newTally());
  const go = nextMessage();
  await send({ type: 'warmedUp' });
  if ((await go).type !== 'measure') throw new Error('expected measure');
  const tally = newTally();
  await load(plan, plan.durationSeconds, tally);
  await send({ type: 'result', result: summarise(tally, plan.durationSeconds) });
}

runWorker(main);
