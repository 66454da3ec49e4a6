import { setTimeout as sleep } from 'node:timers/promises';
import { openSubscriptions, type OpenSubscriptions } from './idle-subscriptions.js';
import { INSPECT_FLAG, memoryAfterGc, type CollectedMemory } from './inspector-memory.js';
import { runWorkload, type RunResult, type RunSpec } from './measure.js';
import { cpuSeconds, memory } from './proc-stats.js';
import {
  summariseDeliveries,
  summariseIdle,
  rssPerThousand,
  type DeliverySummary,
  type IdleSample,
  type IdleSummary,
} from './s1-summary.js';
import {
  simulatorStats,
  startGateway,
  startRedis,
  startSimulator,
  type Service,
} from './services.js';
import { metricTotals } from './metrics-text.js';
import type { S1Settings } from './s1-settings.js';
import type { Deliveries, SubscriptionPlan } from './subscription-protocol.js';
import { BENCH_AUTHORIZATION, GENERATED_CUSTOMERS, type WorkloadName } from './workloads.js';
import { generatedCustomerId } from '../src/simulator/data.js';

/**
 * S1 (issue 23): idle subscriptions. Two gateway replicas sharing a redis-server, the simulator
 * as Partner Center, and a worker process holding `connections` graphql-ws sockets with
 * `perConnection` subscriptions each over `customers` customers. Measured: Partner Center reads
 * against one per customer per interval, each replica's RSS per 1,000 subscriptions, the
 * replicas' CPU while idle, and the time from the poll that finds a change to its delivery to
 * every subscriber. Then W1 (cold) and W5 (warm) on a gateway holding the same subscriptions,
 * beside the same runs without any, in one run.
 */

export const S1 = {
  /** The simulator's latency in the watch phase: a poll's read takes a while, as upstream. */
  latencyMs: 20,
  replicas: 2,
  connectBatch: 100,
  sampleMs: 250,
  /** After start, before the RSS without subscriptions: the replicas' start-up work is done. */
  settleMs: 3_000,
  /** Simulator calls made at once while choosing and changing customers. */
  parallelCalls: 50,
} as const;

export interface ReplicaMemory {
  readonly subscriptions: number;
  /** VmRSS as it was, before any forced collection. */
  readonly rssWithoutBytes: number;
  readonly rssWithBytes: number;
  readonly peakRssBytes: number;
  readonly rssPerThousandBytes: number;
  /** `process.memoryUsage()` right after a full collection (inspector-memory.ts). */
  readonly collectedWithout: CollectedMemory;
  readonly collectedWith: CollectedMemory;
  readonly collectedRssPerThousandBytes: number;
  readonly heapUsedPerThousandBytes: number;
}

export interface S1Comparison {
  /** `--rounds`: which round of the pairs this one ran in, from 1. */
  readonly round: number;
  /** The pair's order: odd rounds run without subscriptions first, even rounds with them. */
  readonly withFirst: boolean;
  readonly workload: WorkloadName;
  readonly latencyMs: number;
  readonly without: RunResult;
  readonly with: RunResult;
  /** with ÷ without */
  readonly opsRatio: number;
  readonly cpuPerOperationRatio: number | undefined;
}

export interface S1Result {
  readonly settings: S1Settings;
  readonly subscriptions: number;
  readonly connections: number;
  readonly openSeconds: number;
  readonly gatewayEnv: Readonly<Record<string, string>>;
  /** Both replicas before any subscription, over one interval. */
  readonly idleWithoutCpuSecondsPerMinute: number;
  readonly idle: IdleSummary;
  readonly memory: readonly ReplicaMemory[];
  readonly changeAll: DeliverySummary;
  readonly singles: readonly DeliverySummary[];
  /** The singles together: every subscriber of every single change. */
  readonly singlesTogether: DeliverySummary | undefined;
  /** Summed over the replicas from /metrics: while the subscriptions opened, idle, changing. */
  readonly polls: {
    readonly opening: Readonly<Record<string, number>>;
    readonly idle: Readonly<Record<string, number>>;
    readonly changes: Readonly<Record<string, number>>;
  };
  readonly events: number;
  readonly unexpectedEvents: number;
  readonly errorEvents: number;
  /** The replicas' watch reads by outcome (pcgw_upstream_request_duration_seconds, purpose="watch"). */
  readonly watchAttempts: Readonly<Record<string, number>>;
  readonly droppedConnections: number;
  readonly clientErrors: readonly string[];
  readonly workerCpuSeconds: number;
  readonly comparisons: readonly S1Comparison[];
}

/** The same environment for every gateway of S1, with subscriptions or not. */
export function s1GatewayEnv(settings: S1Settings): Record<string, string> {
  const interval = String(settings.intervalSeconds);
  return {
    WATCH_POLL_SECONDS: interval,
    WATCH_POLL_IN_REVIEW_SECONDS: interval,
    SUBSCRIPTIONS_PER_CONNECTION_MAX: String(Math.max(20, settings.perConnection)),
  };
}

/**
 * The watch phase's cache: fresh for half an interval, so every poll is a Partner Center read
 * (with the default 30 s / 300 s a 10 s poll is mostly answered by the cache, and the read
 * count would say how long the cache keeps answers, not what the watch costs).
 */
export function s1WatchEnv(settings: S1Settings): Record<string, string> {
  const maxAge = String(Math.floor(settings.intervalSeconds / 2));
  return {
    ...s1GatewayEnv(settings),
    CACHE_MAX_AGE_SECONDS: maxAge,
    CACHE_MAX_AGE_IN_REVIEW_SECONDS: maxAge,
  };
}

export function subscriptionPlan(
  settings: S1Settings,
  customerIds: readonly string[],
): Omit<SubscriptionPlan, 'origins'> {
  return {
    connections: settings.connections,
    perConnection: settings.perConnection,
    customerIds,
    connectBatch: S1.connectBatch,
  };
}

/** A change the simulator accepts for a customer with these qualifications, if any. */
export function changeFor(qualifications: readonly string[]): Record<string, string> | undefined {
  if (!qualifications.includes('StateOwnedEntity')) return { qualification: 'StateOwnedEntity' };
  if (!qualifications.includes('Education')) {
    return { qualification: 'Education', educationSegment: 'K12' };
  }
  return undefined;
}

async function inBatches<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += S1.parallelCalls) {
    results.push(...(await Promise.all(items.slice(i, i + S1.parallelCalls).map(run))));
  }
  return results;
}

async function qualificationsOf(simulator: Service, id: string): Promise<string[]> {
  const response = await fetch(`${simulator.origin}/v1/customers/${id}/qualifications`, {
    headers: { authorization: BENCH_AUTHORIZATION },
  });
  const json: unknown = await response.json();
  if (!response.ok) throw new Error(`simulator read of ${id}: HTTP ${response.status}`);
  const items: unknown = Array.isArray(json) ? json : (json as { items?: unknown }).items;
  return Array.isArray(items)
    ? items.map((item) => String((item as { qualification?: unknown }).qualification))
    : [];
}

/**
 * The watched customers: generated ones the simulator's change route can change, so every one
 * of them changes in the all-customer change; the singles are among those with no qualification
 * yet, which can change twice.
 */
async function chooseCustomers(simulator: Service, settings: S1Settings) {
  const candidates = Array.from({ length: GENERATED_CUSTOMERS }, (_, n) => generatedCustomerId(n));
  const seen = await inBatches(candidates, async (id) => ({
    id,
    qualifications: await qualificationsOf(simulator, id),
  }));
  const watched = seen.filter((one) => changeFor(one.qualifications) !== undefined);
  if (watched.length < settings.customers) {
    throw new Error(`only ${watched.length} customers can be changed; ask for fewer`);
  }
  const chosen = watched.slice(0, settings.customers);
  return {
    ids: chosen.map((one) => one.id),
    singles: chosen
      .filter((one) => one.qualifications.length === 0)
      .slice(0, settings.singleChanges)
      .map((one) => one.id),
  };
}

/** Changes each customer once through the simulator's change route ("from elsewhere"). */
async function change(simulator: Service, ids: readonly string[]): Promise<void> {
  await inBatches(ids, async (id) => {
    const body = changeFor(await qualificationsOf(simulator, id));
    if (body === undefined) throw new Error(`customer ${id} cannot be changed again`);
    const response = await fetch(`${simulator.origin}/_simulator/customers/${id}/qualifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`change of ${id}: ${response.status} ${text}`);
  });
}

async function sampleIdle(
  simulator: Service,
  gateways: readonly Service[],
  redis: Service,
  seconds: number,
): Promise<IdleSample[]> {
  const samples: IdleSample[] = [];
  const started = performance.now();
  for (;;) {
    const { reads } = await simulatorStats(simulator);
    const t = performance.now() - started;
    samples.push({
      t,
      reads,
      gatewayCpu: gateways.map((gateway) => cpuSeconds(gateway.process.pid) ?? Number.NaN),
      redisCpu: cpuSeconds(redis.process.pid) ?? Number.NaN,
    });
    if (t >= seconds * 1000) return samples;
    await sleep(Math.max(0, samples.length * S1.sampleMs - (performance.now() - started)));
  }
}

async function timeChange(
  simulator: Service,
  subscriptions: OpenSubscriptions,
  ids: readonly string[],
  settings: S1Settings,
): Promise<TimedChange> {
  // A change is seen at the next poll of each customer: within an interval, and a little more.
  const timeoutMs = 2 * settings.intervalSeconds * 1000 + 15_000;
  const { delivered } = await subscriptions.expect(ids, timeoutMs);
  const changedAt = Date.now();
  await change(simulator, ids);
  const result = await delivered;
  return {
    ...result,
    changedAt,
    summary: summariseDeliveries(
      ids.length,
      result.expected,
      result.deliveries,
      result.missing,
      changedAt,
    ),
  };
}

interface TimedChange extends Deliveries {
  readonly changedAt: number;
  readonly summary: DeliverySummary;
}

/** Every subscriber of every single change, as one set (their own polls' read times). */
function together(changes: readonly TimedChange[]): DeliverySummary | undefined {
  if (changes.length === 0) return undefined;
  const merged = summariseDeliveries(
    changes.length,
    changes.reduce((n, one) => n + one.expected, 0),
    changes.flatMap((one) => one.deliveries),
    changes.reduce((n, one) => n + one.missing, 0),
    Math.min(...changes.map((one) => one.changedAt)),
  );
  return {
    ...merged,
    readBeforeChange: changes.reduce((n, one) => n + one.summary.readBeforeChange, 0),
  };
}

function rssOf(gateway: Service): { rss: number; peak: number } {
  const now = memory(gateway.process.pid);
  return { rss: now?.rssBytes ?? Number.NaN, peak: now?.peakRssBytes ?? Number.NaN };
}

async function metricsOf(gateways: readonly Service[]) {
  const texts = await Promise.all(
    gateways.map(async (gateway) => (await fetch(`${gateway.origin}/metrics`)).text()),
  );
  const polls: Record<string, number> = {};
  let events = 0;
  const open: number[] = [];
  const watchAttempts: Record<string, number> = {};
  for (const text of texts) {
    for (const line of text.split('\n')) {
      if (!line.startsWith('pcgw_upstream_request_duration_seconds_count{')) continue;
      if (!line.includes('purpose="watch"')) continue;
      const outcome = /outcome="([^"]*)"/.exec(line)?.[1] ?? '?';
      watchAttempts[outcome] =
        (watchAttempts[outcome] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    for (const [result, count] of Object.entries(
      metricTotals(text, 'pcgw_watch_polls_total', 'result'),
    )) {
      polls[result] = (polls[result] ?? 0) + count;
    }
    events += Number(/^pcgw_subscription_events_total (\S+)$/m.exec(text)?.[1] ?? Number.NaN);
    open.push(Number(/^pcgw_subscriptions_open (\S+)$/m.exec(text)?.[1] ?? Number.NaN));
  }
  return { polls, events, open, watchAttempts };
}

const NO_MEMORY: CollectedMemory = {
  rssBytes: Number.NaN,
  heapUsedBytes: Number.NaN,
  externalBytes: Number.NaN,
};

function difference(
  after: Readonly<Record<string, number>>,
  before: Readonly<Record<string, number>>,
) {
  return Object.fromEntries(
    Object.entries(after).map(([key, value]) => [key, value - (before[key] ?? 0)]),
  );
}

type Progress = (message: string) => void;

async function watchPhase(
  settings: S1Settings,
  extraEnv: Readonly<Record<string, string>>,
  progress: Progress,
) {
  const simulator = await startSimulator(S1.latencyMs);
  const gateways: Service[] = [];
  let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
  let subscriptions: OpenSubscriptions | undefined;
  try {
    const { ids, singles } = await chooseCustomers(simulator, settings);
    redis = await startRedis();
    // `--gateway-env` last, as for every workload: the lead's experiments (a concurrency, a cadence).
    const gatewayEnv = { ...s1WatchEnv(settings), ...extraEnv };
    for (let n = 0; n < S1.replicas; n += 1) {
      gateways.push(
        await startGateway({
          partnerCenterOrigin: simulator.origin,
          upstreamMaxConcurrency: 32,
          extraEnv: { ...gatewayEnv, REDIS_URL: redis.url },
          nodeArgs: [INSPECT_FLAG],
        }),
      );
    }
    await sleep(S1.settleMs);
    const without = gateways.map(rssOf);
    const collectedWithout = await Promise.all(gateways.map(memoryAfterGc));
    const idleWithout = summariseIdle(
      await sampleIdle(simulator, gateways, redis, settings.intervalSeconds),
      settings.customers,
      settings.intervalSeconds,
    );
    const plan = {
      ...subscriptionPlan(settings, ids),
      origins: gateways.map((gateway) => gateway.origin),
    };
    progress(
      `    opening ${settings.connections * settings.perConnection} subscriptions over ${settings.connections} connections…`,
    );
    subscriptions = await openSubscriptions(plan);
    const { opened } = subscriptions;
    const afterOpening = await metricsOf(gateways);
    progress(
      `    opened in ${(opened.openMs / 1000).toFixed(1)} s; idle for ${settings.intervals + 1} intervals…`,
    );
    // The first polls after the subscribers' first looks, then whole intervals of nothing but polls.
    await sleep(settings.intervalSeconds * 1000);
    const idle = summariseIdle(
      await sampleIdle(simulator, gateways, redis, settings.intervals * settings.intervalSeconds),
      settings.customers,
      settings.intervalSeconds,
    );
    const afterIdle = await metricsOf(gateways);
    const withSubs = gateways.map(rssOf);
    const collectedWith = await Promise.all(gateways.map(memoryAfterGc));
    const memoryByReplica = gateways.map((_, i): ReplicaMemory => {
      const now = withSubs[i] ?? { rss: Number.NaN, peak: Number.NaN };
      const before = without[i] ?? { rss: Number.NaN, peak: Number.NaN };
      const subs = afterIdle.open[i] ?? Number.NaN;
      const gcBefore = collectedWithout[i] ?? NO_MEMORY;
      const gcAfter = collectedWith[i] ?? NO_MEMORY;
      return {
        subscriptions: subs,
        rssWithoutBytes: before.rss,
        rssWithBytes: now.rss,
        peakRssBytes: now.peak,
        rssPerThousandBytes: rssPerThousand(before.rss, now.rss, subs),
        collectedWithout: gcBefore,
        collectedWith: gcAfter,
        collectedRssPerThousandBytes: rssPerThousand(gcBefore.rssBytes, gcAfter.rssBytes, subs),
        heapUsedPerThousandBytes: rssPerThousand(
          gcBefore.heapUsedBytes,
          gcAfter.heapUsedBytes,
          subs,
        ),
      };
    });
    progress(`    changing all ${ids.length} customers…`);
    const changeAll = (await timeChange(simulator, subscriptions, ids, settings)).summary;
    const singleResults: TimedChange[] = [];
    for (const id of singles) {
      progress(`    changing customer ${id} alone…`);
      singleResults.push(await timeChange(simulator, subscriptions, [id], settings));
    }
    const metrics = await metricsOf(gateways);
    const closed = await subscriptions.close();
    subscriptions = undefined;
    return {
      gatewayEnv,
      opened,
      idleWithoutCpuSecondsPerMinute: idleWithout.cpuSecondsPerMinute,
      idle,
      memory: memoryByReplica,
      changeAll,
      singles: singleResults.map((one) => one.summary),
      singlesTogether: together(singleResults),
      polls: {
        opening: afterOpening.polls,
        idle: difference(afterIdle.polls, afterOpening.polls),
        changes: difference(metrics.polls, afterIdle.polls),
      },
      events: metrics.events,
      watchAttempts: metrics.watchAttempts,
      closed,
    };
  } finally {
    await subscriptions?.close().catch(() => undefined);
    for (const gateway of gateways) await gateway.process.stop();
    await simulator.process.stop();
    await redis?.process.stop();
  }
}

export async function runS1(
  settings: S1Settings,
  latenciesMs: readonly number[],
  /** `--rounds`: how many times each W1/W5 pair runs. */
  rounds: number,
  comparisonSpec: (workload: WorkloadName, latencyMs: number) => RunSpec,
  progress: Progress,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<S1Result> {
  progress(`S1: ${S1.replicas} gateways sharing Redis, watch phase…`);
  const watch = await watchPhase(settings, extraEnv, progress);
  const comparisons: S1Comparison[] = [];
  for (const { round, latencyMs, workload, withFirst } of comparisonPlan(
    settings.compare ? rounds : 0,
    latenciesMs,
  )) {
    const base = comparisonSpec(workload, latencyMs);
    const spec: RunSpec = {
      ...base,
      gatewayEnv: { ...s1GatewayEnv(settings), ...base.gatewayEnv },
    };
    const subscriptions = subscriptionPlan(settings, watchedIdsForComparison(settings));
    const label = `${rounds > 1 ? `round ${round}: ` : ''}${workload} at ${latencyMs} ms`;
    const runWithout = () => {
      progress(`    ${label} without subscriptions…`);
      return runWorkload(spec);
    };
    const runWith = () => {
      progress(
        `    ${label} with ${settings.connections * settings.perConnection} idle subscriptions…`,
      );
      return runWorkload({
        ...spec,
        subscriptions,
        // `--cpu-prof`: the pair's two profiles side by side, not one written over the other.
        gatewayNodeArgs: spec.gatewayNodeArgs.map((arg) =>
          arg.startsWith('--cpu-prof-name=') ? arg.replace(/(\.cpuprofile)?$/, '-subs$1') : arg,
        ),
      });
    };
    let without: RunResult;
    let withSubs: RunResult;
    if (withFirst) {
      withSubs = await runWith();
      without = await runWithout();
    } else {
      without = await runWithout();
      withSubs = await runWith();
    }
    const cpu = (run: RunResult) => run.gateway?.cpuSecondsPer1000Operations;
    const cpuWith = cpu(withSubs);
    const cpuWithout = cpu(without);
    comparisons.push({
      round,
      withFirst,
      workload,
      latencyMs,
      without,
      with: withSubs,
      opsRatio: withSubs.opsPerSecond / without.opsPerSecond,
      cpuPerOperationRatio:
        cpuWith === undefined || cpuWithout === undefined ? undefined : cpuWith / cpuWithout,
    });
  }
  return {
    settings,
    subscriptions: watch.opened.subscriptions,
    connections: watch.opened.connections,
    openSeconds: watch.opened.openMs / 1000,
    gatewayEnv: watch.gatewayEnv,
    idleWithoutCpuSecondsPerMinute: watch.idleWithoutCpuSecondsPerMinute,
    idle: watch.idle,
    memory: watch.memory,
    changeAll: watch.changeAll,
    singles: watch.singles,
    singlesTogether: watch.singlesTogether,
    polls: watch.polls,
    events: watch.events,
    unexpectedEvents: watch.closed.unexpectedEvents,
    errorEvents: watch.closed.errorEvents,
    watchAttempts: watch.watchAttempts,
    droppedConnections: watch.closed.droppedConnections,
    clientErrors: watch.closed.errors,
    workerCpuSeconds: watch.closed.cpuSeconds,
    comparisons,
  };
}

/**
 * The W1/W5 pairs, round after round (`--rounds`), so a slow minute of the machine falls on
 * every pair alike; within a pair the order alternates by round, so neither side always has the
 * first, colder seat. A single pair's ratio moved between 0.6 and 1.5 from run to run here.
 */
export function comparisonPlan(
  rounds: number,
  latenciesMs: readonly number[],
): { round: number; latencyMs: number; workload: 'W1' | 'W5'; withFirst: boolean }[] {
  const plan = [];
  for (let round = 1; round <= rounds; round += 1) {
    for (const latencyMs of latenciesMs) {
      for (const workload of ['W1', 'W5'] as const) {
        plan.push({ round, latencyMs, workload, withFirst: round % 2 === 0 });
      }
    }
  }
  return plan;
}

/** W1's rotation reads every generated customer; the subscriptions watch the first ones. */
function watchedIdsForComparison(settings: S1Settings): string[] {
  return Array.from({ length: settings.customers }, (_, n) => generatedCustomerId(n));
}
