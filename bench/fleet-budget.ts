import { setTimeout as sleep } from 'node:timers/promises';
import { metricTotals } from './metrics-text.js';
import {
  simulatorStats,
  startGateway,
  startRedis,
  startSimulator,
  type Service,
} from './services.js';

/**
 * F1, the fleet run (issue 15): three gateway processes sharing one redis-server under a call
 * budget, each loaded by closed-loop callers that honour `retryAfter`. What it measures: Partner
 * Center calls in every 60 s (the simulator's read counter, sampled every 100 ms), and how long
 * callers waited for an answer.
 */
export const FLEET = {
  replicas: 3,
  budgetPerMinute: 60,
  callersPerReplica: 3,
  latencyMs: 20,
  durationSeconds: 150,
  sampleMs: 100,
} as const;

export interface FleetResult {
  readonly durationSeconds: number;
  readonly budgetPerMinute: number;
  readonly upstreamCalls: number;
  /** Most calls in any 60 s (sampled: an upper bound, each window may include one extra sample). */
  readonly busiestMinuteCalls: number;
  /** Calls in each whole minute from the start. */
  readonly callsPerMinute: readonly number[];
  readonly answered: number;
  readonly rateLimited: number;
  readonly otherErrors: number;
  /** Requests without an HTTP answer, by message. */
  readonly failures: Record<string, number>;
  readonly answeredMs: Percentiles;
  readonly rateLimitedMs: Percentiles;
  /** From the gateways' `pcgw_fleet_budget_wait_seconds`: calls by outcome, and mean wait. */
  readonly budgetCalls: Record<string, number>;
  readonly budgetMeanWaitMs: Record<string, number>;
  readonly modes: Record<string, number>;
}

interface Percentiles {
  readonly p50: number | undefined;
  readonly p99: number | undefined;
}

function percentiles(values: number[]): Percentiles {
  const sorted = values.slice().sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length === 0
      ? undefined
      : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p99: at(0.99) };
}

const QUERY = 'query ($id: ID!) { customer(id: $id) { id qualifications { qualification } } }';

interface Tally {
  answeredMs: number[];
  rateLimitedMs: number[];
  otherErrors: number;
  /** Requests that got no HTTP answer at all (the message of each). */
  failures: string[];
}

async function caller(gateway: Service, ids: () => string, until: number, tally: Tally) {
  while (performance.now() < until) {
    const started = performance.now();
    let body: { errors?: { extensions?: { code?: string; retryAfter?: number } }[] };
    try {
      const response = await fetch(`${gateway.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer bench-fleet' },
        body: JSON.stringify({ query: QUERY, variables: { id: ids() } }),
      });
      body = (await response.json()) as typeof body;
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      tally.failures.push(cause instanceof Error ? cause.message : String(cause));
      await sleep(100);
      continue;
    }
    const ms = performance.now() - started;
    const error = body.errors?.[0]?.extensions;
    if (error === undefined) tally.answeredMs.push(ms);
    else if (error.code === 'RATE_LIMITED') {
      tally.rateLimitedMs.push(ms);
      await sleep((error.retryAfter ?? 1) * 1000);
    } else tally.otherErrors += 1;
  }
}

export async function runFleetBudget(
  durationSeconds: number = FLEET.durationSeconds,
): Promise<FleetResult> {
  const simulator = await startSimulator(FLEET.latencyMs);
  const redis = await startRedis();
  const gateways: Service[] = [];
  try {
    for (let n = 0; n < FLEET.replicas; n += 1) {
      gateways.push(
        await startGateway({
          partnerCenterOrigin: simulator.origin,
          upstreamMaxConcurrency: 16,
          extraEnv: {
            REDIS_URL: redis.url,
            UPSTREAM_MAX_CALLS_PER_MINUTE: String(FLEET.budgetPerMinute),
            CACHE_ENABLED: 'false',
            UPSTREAM_RETRIES: '0',
          },
          nodeArgs: [],
        }),
      );
    }
    const readsBefore = (await simulatorStats(simulator)).reads;
    const samples: { t: number; reads: number }[] = [];
    const started = performance.now();
    const until = started + durationSeconds * 1000;
    const tally: Tally = { answeredMs: [], rateLimitedMs: [], otherErrors: 0, failures: [] };
    const sampler = (async () => {
      while (performance.now() < until) {
        const stats = await simulatorStats(simulator).catch((error: unknown) => {
          tally.failures.push(`simulator stats: ${String(error)}`);
          return undefined;
        });
        if (stats !== undefined) {
          samples.push({ t: performance.now() - started, reads: stats.reads - readsBefore });
        }
        await sleep(FLEET.sampleMs);
      }
    })();
    let next = 0;
    const ids = () => `c0000000-0000-4000-8000-${String((next += 1) % 1000).padStart(12, '0')}`;
    await Promise.all([
      sampler,
      ...gateways.flatMap((gateway) =>
        Array.from({ length: FLEET.callersPerReplica }, () => caller(gateway, ids, until, tally)),
      ),
    ]);
    const { reads } = await simulatorStats(simulator);
    let busiest = 0;
    for (const [i, from] of samples.entries()) {
      // The first sample at least 60 s later: the window [from.t, to.t] covers 60 s and a bit.
      const to = samples.slice(i).find((sample) => sample.t >= from.t + 60_000) ?? samples.at(-1);
      if (to !== undefined) busiest = Math.max(busiest, to.reads - from.reads);
    }
    const perMinute: number[] = [];
    for (let minute = 1; minute * 60_000 <= durationSeconds * 1000 + FLEET.sampleMs; minute += 1) {
      const end = samples.find((sample) => sample.t >= minute * 60_000) ?? samples.at(-1);
      const start = samples.findLast((sample) => sample.t <= (minute - 1) * 60_000);
      perMinute.push((end?.reads ?? 0) - (start?.reads ?? 0));
    }
    const texts = await Promise.all(
      gateways.map(async (gateway) => (await fetch(`${gateway.origin}/metrics`)).text()),
    );
    const sum = (name: string, label: string) => {
      const totals: Record<string, number> = {};
      for (const text of texts) {
        for (const [key, value] of Object.entries(metricTotals(text, name, label))) {
          totals[key] = (totals[key] ?? 0) + value;
        }
      }
      return totals;
    };
    const counts = sum('pcgw_fleet_budget_wait_seconds_count', 'outcome');
    const sums = sum('pcgw_fleet_budget_wait_seconds_sum', 'outcome');
    return {
      durationSeconds,
      budgetPerMinute: FLEET.budgetPerMinute,
      upstreamCalls: reads - readsBefore,
      busiestMinuteCalls: busiest,
      callsPerMinute: perMinute,
      answered: tally.answeredMs.length,
      rateLimited: tally.rateLimitedMs.length,
      otherErrors: tally.otherErrors,
      failures: tally.failures.reduce<Record<string, number>>((counts, message) => {
        counts[message] = (counts[message] ?? 0) + 1;
        return counts;
      }, {}),
      answeredMs: percentiles(tally.answeredMs),
      rateLimitedMs: percentiles(tally.rateLimitedMs),
      budgetCalls: counts,
      budgetMeanWaitMs: Object.fromEntries(
        Object.entries(counts).map(([key, count]) => [
          key,
          count === 0 ? 0 : ((sums[key] ?? 0) / count) * 1000,
        ]),
      ),
      modes: sum('pcgw_fleet_budget_mode', 'mode'),
    };
  } finally {
    for (const gateway of gateways) await gateway.process.stop();
    await redis.process.stop();
    await simulator.process.stop();
  }
}

const ms = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(0));

export function formatFleet(r: FleetResult): string {
  return [
    `Fleet (F1): ${FLEET.replicas} gateways sharing one Redis, UPSTREAM_MAX_CALLS_PER_MINUTE=${r.budgetPerMinute}, ${FLEET.callersPerReplica} closed-loop callers each (honouring retryAfter), simulator ${FLEET.latencyMs} ms, ${r.durationSeconds} s`,
    '',
    '| upstream calls | busiest 60 s | per minute | answered | answered p50 / p99 ms | RATE_LIMITED | RATE_LIMITED p50 / p99 ms | other errors | budget granted / refused (mean wait ms) | mode shared / local |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${r.upstreamCalls} | ${r.busiestMinuteCalls} | ${r.callsPerMinute.join(', ')} | ${r.answered} | ${ms(r.answeredMs.p50)} / ${ms(r.answeredMs.p99)} | ${r.rateLimited} | ${ms(r.rateLimitedMs.p50)} / ${ms(r.rateLimitedMs.p99)} | ${r.otherErrors} | ${r.budgetCalls['granted'] ?? 0} (${ms(r.budgetMeanWaitMs['granted'])}) / ${r.budgetCalls['refused'] ?? 0} (${ms(r.budgetMeanWaitMs['refused'])}) | ${r.modes['shared'] ?? 0} / ${r.modes['local'] ?? 0} |`,
    ...(Object.keys(r.failures).length === 0
      ? []
      : ['', `requests without an answer: ${JSON.stringify(r.failures)}`]),
  ].join('\n');
}
