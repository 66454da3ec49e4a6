import { setTimeout as sleep } from 'node:timers/promises';
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
 * sending the next operation as soon as its last one answered (unless told to honour a refusal's
 * Retry-After; a caller that does not is the worst case), every request given up after `clientTimeoutMs` as a
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

/**
 * Closed loops without a pause from the plan's arrival until the measured phase ends. Warm-up
 * answers go to a tally thrown away; only answers arriving within the measured phase count. At
 * its end the pool is destroyed, so what is still waiting is dropped rather than waited for.
 */
class Load {
  private operation = 0;
  private tally = newTally();
  private until = Number.POSITIVE_INFINITY;
  private readonly pool: Pool;
  private readonly loops: Promise<void>[];

  constructor(private readonly plan: OverloadPlan) {
    this.pool = new Pool(plan.origin, { connections: plan.connections, pipelining: 1 });
    this.loops = Array.from({ length: plan.connections }, () => this.loop());
  }

  /** Starts counting now, for `seconds`; resolves with what was counted. */
  async measure(seconds: number): Promise<Tally> {
    const tally = newTally();
    this.tally = tally;
    this.until = performance.now() + seconds * 1000;
    const end = setTimeout(() => void this.pool.destroy().catch(() => undefined), seconds * 1000);
    await Promise.all(this.loops);
    clearTimeout(end);
    return tally;
  }

  private async loop(): Promise<void> {
    const workload = WORKLOADS[this.plan.workload];
    while (performance.now() < this.until) {
      const request = workload.request(this.operation);
      this.operation += 1;
      const sent = performance.now();
      const caller = AbortSignal.timeout(this.plan.clientTimeoutMs);
      try {
        const response = await this.pool.request({
          method: request.method,
          path: request.path,
          headers: { authorization: BENCH_AUTHORIZATION, 'content-type': 'application/json' },
          body: request.body ?? '',
          signal: caller,
        });
        const text = await response.body.text();
        if (performance.now() > this.until) return;
        const retryAfter = response.headers['retry-after'];
        record(this.tally, response.statusCode, retryAfter, text, sent);
        if (this.plan.honourRetryAfter && response.statusCode === 503) {
          await sleep(Math.min(Number(retryAfter) || 1, 60) * 1000);
        }
      } catch {
        if (performance.now() > this.until) return;
        if (caller.aborted) this.tally.gaveUp += 1;
        else this.tally.other += 1;
      }
    }
  }
}

function record(
  tally: Tally,
  status: number,
  retryAfter: unknown,
  text: string,
  sent: number,
): void {
  const ms = performance.now() - sent;
  if (text.includes('"errors"')) {
    for (const [, code] of text.matchAll(/"code":"([A-Z_]+)"/g)) {
      if (code !== undefined) tally.codes[code] = (tally.codes[code] ?? 0) + 1;
    }
  }
  const timeouts = count(text, '"UPSTREAM_TIMEOUT"');
  tally.upstreamTimeoutFields += timeouts;
  if (timeouts > 0) tally.upstreamTimeoutOperations += 1;
  tally.overloadedFields += status === 200 ? count(text, '"OVERLOADED"') : 0;
  if (status === 200 && !text.includes('"errors"')) tally.answeredMs.push(ms);
  else if (status === 503 && text.includes('"OVERLOADED"')) {
    tally.refusedMs.push(ms);
    if (retryAfter !== undefined) tally.refusedWithRetryAfter += 1;
  } else if (status === 200) tally.partial += 1;
  else tally.other += 1;
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
  const load = new Load(plan);
  if (plan.warmupSeconds > 0) await sleep(plan.warmupSeconds * 1000);
  const go = nextMessage();
  await send({ type: 'warmedUp' });
  if ((await go).type !== 'measure') throw new Error('expected measure');
  const tally = await load.measure(plan.durationSeconds);
  await send({ type: 'result', result: summarise(tally, plan.durationSeconds) });
}

runWorker(main);
