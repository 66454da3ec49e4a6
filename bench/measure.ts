import { deathOf } from './child-processes.js';
import { runLoad } from './load-generator.js';
import { metricTotals } from './metrics-text.js';
import type { LoadResult } from './load-protocol.js';
import {
  CLOCK_TICKS,
  cpuSeconds,
  machineTicks,
  mainThreadCpuSeconds,
  memory,
} from './proc-stats.js';
import {
  quiesceAndReset,
  simulatorStats,
  startGateway,
  startRedis,
  startSimulator,
  type Service,
} from './services.js';
import type { Settings } from './report.js';
import { openSubscriptions, type OpenSubscriptions } from './idle-subscriptions.js';
import type { SubscriptionPlan } from './subscription-protocol.js';
import { BENCH_AUTHORIZATION, primingRequests, WORKLOADS, type WorkloadName } from './workloads.js';

/** One workload at one simulator latency, on a fresh simulator and a fresh gateway. */
export interface RunSpec extends Omit<Settings, 'loadGenerator'> {
  readonly workload: WorkloadName;
  readonly latencyMs: number;
  /** Sample the gateway's RSS every second of the measured phase (the soak). */
  readonly sampleRss: boolean;
  /** Another build's gateway (`--before`): its `dist/main.js`, and its commit for the report. */
  readonly build?: { readonly script: string; readonly commit: string } | undefined;
  /**
   * Subscriptions held open on the gateways for the whole run (S1's W1 beside idle
   * subscriptions): opened before priming and warm-up, every one past its first event.
   */
  readonly subscriptions?: Omit<SubscriptionPlan, 'origins'> | undefined;
}

export interface RssSample {
  /** Seconds since the measured phase began. */
  readonly t: number;
  readonly rssBytes: number;
}

export interface RunResult {
  readonly workload: WorkloadName;
  readonly latencyMs: number;
  /** Which of `--rounds` this run belongs to (1 when there is one round). */
  readonly round?: number;
  /** The commit of the gateway measured, when it was not this checkout's (`--before`). */
  readonly build?: string;
  readonly load: LoadResult;
  readonly opsPerSecond: number;
  /** Simulator reads during the measured phase ÷ completed operations. */
  readonly upstreamCallsPerOperation: number;
  /** Most upstream calls in flight at once during the measured phase (the pool's bound shows). */
  readonly upstreamMaxInFlight: number;
  /** Absent for W4, which has no gateway in the path, and where /proc is missing. */
  readonly gateway?: {
    readonly cpuSecondsPer1000Operations: number;
    /** Share of one core over the measured phase, percent. */
    readonly cpuPercent: number;
    /** Of it, the main thread's (JavaScript); the rest is V8's helper threads and libuv's pool. */
    readonly mainThreadCpuPercent?: number;
    /**
     * The main thread's GC pauses by kind (minor, major, incremental, weakcb), percent of the
     * measured wall time, from the gateway's own `nodejs_gc_duration_seconds`.
     */
    readonly gcPausePercent?: Readonly<Record<string, number>>;
    /** VmHWM: peak since this gateway started (it is started fresh for every run). */
    readonly peakRssBytes: number;
    readonly rssBytesAtEnd: number;
  };
  readonly simulatorCpuPercent?: number;
  readonly loadGeneratorCpuPercent: number;
  /** The workload's `redis-server` (W6, W7), percent of one core; not in the gateway's CPU. */
  readonly redisCpuPercent?: number;
  /**
   * CPU of everything else on the machine (the benchmark's own process, other jobs), percent of
   * one core. Much more than a few percent means the numbers were taken on a busy machine.
   */
  readonly otherCpuPercent?: number;
  readonly rssSamples?: readonly RssSample[];
  /** Subscriptions open on the gateways throughout (S1), and their worker's own CPU. */
  readonly subscriptions?: {
    readonly open: number;
    readonly workerCpuSeconds: number;
    readonly unexpectedEvents: number;
    readonly errorEvents: number;
    readonly droppedConnections: number;
  };
}

interface Readings {
  readonly at: number;
  readonly reads: number;
  readonly maxInFlight: number;
  readonly gatewayCpu: number | undefined;
  readonly gatewayMainThreadCpu: number | undefined;
  readonly gatewayGcSeconds: Readonly<Record<string, number>> | undefined;
  readonly simulatorCpu: number | undefined;
  readonly redisCpu: number | undefined;
  readonly machineBusyTicks: number | undefined;
}

/** CPU seconds of every gateway together (W6 runs two), or of their main threads. */
function gatewaysCpu(
  gateways: readonly Service[],
  of: (pid: number) => number | undefined = cpuSeconds,
): number | undefined {
  let total = 0;
  for (const gateway of gateways) {
    const seconds = of(gateway.process.pid);
    if (seconds === undefined) return undefined;
    total += seconds;
  }
  return gateways.length === 0 ? undefined : total;
}

const GC_SECONDS = 'pcgw_nodejs_gc_duration_seconds_sum';

/** Every gateway's GC pause seconds so far, by kind, summed; undefined if one did not answer. */
async function gatewaysGcSeconds(
  gateways: readonly Service[],
): Promise<Record<string, number> | undefined> {
  try {
    const texts = await Promise.all(
      gateways.map(async (gateway) => {
        const response = await fetch(`${gateway.origin}/metrics`);
        return response.ok ? response.text() : undefined;
      }),
    );
    const totals: Record<string, number> = {};
    for (const text of texts) {
      // A bench/reference/ gateway has no /metrics: no figure rather than a zero.
      if (text === undefined) return undefined;
      for (const [kind, seconds] of Object.entries(metricTotals(text, GC_SECONDS, 'kind'))) {
        totals[kind] = (totals[kind] ?? 0) + seconds;
      }
    }
    return totals;
  } catch {
    return undefined;
  }
}

async function read(
  simulator: Service,
  gateways: readonly Service[],
  redis: Service | undefined,
): Promise<Readings> {
  const [stats, gatewayGcSeconds] = await Promise.all([
    simulatorStats(simulator),
    gatewaysGcSeconds(gateways),
  ]);
  return {
    at: performance.now(),
    reads: stats.reads,
    maxInFlight: stats.maxInFlight,
    gatewayCpu: gatewaysCpu(gateways),
    gatewayMainThreadCpu: gatewaysCpu(gateways, mainThreadCpuSeconds),
    gatewayGcSeconds,
    simulatorCpu: cpuSeconds(simulator.process.pid),
    redisCpu: redis === undefined ? undefined : cpuSeconds(redis.process.pid),
    machineBusyTicks: machineTicks()?.busy,
  };
}

const percentOf = (cpu: number, wallMs: number): number => (cpu / (wallMs / 1000)) * 100;

function gcPauseShare(
  before: Readonly<Record<string, number>> | undefined,
  after: Readonly<Record<string, number>> | undefined,
  wallMs: number,
): Record<string, number> | undefined {
  if (before === undefined || after === undefined) return undefined;
  const share: Record<string, number> = {};
  for (const [kind, seconds] of Object.entries(after)) {
    share[kind] = percentOf(seconds - (before[kind] ?? 0), wallMs);
  }
  return share;
}

/** Reads the rotation's customers once through `gateway`, so the cache starts warm. */
async function prime(gateway: Service): Promise<void> {
  for (const request of primingRequests()) {
    const response = await fetch(gateway.origin + request.path, {
      method: request.method,
      headers: { authorization: BENCH_AUTHORIZATION, 'content-type': 'application/json' },
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    const text = await response.text();
    if (!response.ok || text.includes('"errors"')) throw new Error(`priming failed: ${text}`);
  }
}

export async function runWorkload(spec: RunSpec): Promise<RunResult> {
  const workload = WORKLOADS[spec.workload];
  // Fresh processes per run: the simulator's latency is fixed at start, and a fresh gateway
  // makes VmHWM the peak of this workload alone.
  const simulator = await startSimulator(spec.latencyMs);
  const gateways: Service[] = [];
  let redis: Service | undefined;
  let sampler: NodeJS.Timeout | undefined;
  let subscriptions: OpenSubscriptions | undefined;
  try {
    if (workload.target === 'gateway') {
      const shared = workload.redis === true ? await startRedis() : undefined;
      redis = shared;
      const extraEnv = {
        ...workload.gatewayEnv,
        ...(shared === undefined ? {} : { REDIS_URL: shared.url }),
        ...spec.gatewayEnv,
      };
      for (let replica = 0; replica < (workload.replicas ?? 1); replica += 1) {
        gateways.push(
          await startGateway({
            partnerCenterOrigin: simulator.origin,
            upstreamMaxConcurrency: spec.upstreamMaxConcurrency,
            extraEnv,
            nodeArgs: spec.gatewayNodeArgs,
            reference: workload.reference,
            script: spec.build?.script,
          }),
        );
      }
    }
    // Memory figures are the first gateway's; CPU is all gateways' together.
    const gateway = gateways[0];
    if (spec.subscriptions !== undefined && gateways.length > 0) {
      subscriptions = await openSubscriptions({
        ...spec.subscriptions,
        origins: gateways.map((one) => one.origin),
      });
    }
    if (workload.prime === true && gateway !== undefined) await prime(gateway);
    const targets = gateways.length > 0 ? gateways : [simulator];

    let before: Readings | undefined;
    const rssSamples: RssSample[] = [];
    const loading = runLoad(
      {
        workload: spec.workload,
        origins: targets.map((target) => target.origin),
        connections: spec.connections,
        warmupSeconds: spec.warmupSeconds,
        durationSeconds: spec.durationSeconds,
      },
      async () => {
        await quiesceAndReset(simulator);
        before = await read(simulator, gateways, redis);
        const started = before.at;
        const pid = gateway?.process.pid;
        if (spec.sampleRss && pid !== undefined) {
          sampler = setInterval(() => {
            const now = memory(pid);
            if (now !== undefined) {
              rssSamples.push({ t: (performance.now() - started) / 1000, rssBytes: now.rssBytes });
            }
          }, 1000);
        }
      },
    );
    // A crash of any service ends the run at once, with its last output. (`loading` is marked
    // handled: it may fail later, after the race is already lost.)
    loading.catch(() => undefined);
    const load = await Promise.race([
      loading,
      deathOf(simulator.process, 'during the load'),
      ...gateways.map((one) => deathOf(one.process, 'during the load')),
      ...(redis === undefined ? [] : [deathOf(redis.process, 'during the load')]),
    ]);
    clearInterval(sampler);
    const after = await read(simulator, gateways, redis);
    if (before === undefined) throw new Error('the load worker measured without a warm-up signal');
    const held = subscriptions === undefined ? undefined : await subscriptions.close();
    const openSubs = subscriptions?.opened.subscriptions;
    subscriptions = undefined;

    const wallMs = after.at - before.at;
    const completed = load.completed;
    const gatewayMemory = gateway === undefined ? undefined : memory(gateway.process.pid);
    const gatewayCpu =
      after.gatewayCpu === undefined || before.gatewayCpu === undefined
        ? undefined
        : after.gatewayCpu - before.gatewayCpu;
    const gatewayMainThreadCpu =
      after.gatewayMainThreadCpu === undefined || before.gatewayMainThreadCpu === undefined
        ? undefined
        : after.gatewayMainThreadCpu - before.gatewayMainThreadCpu;
    const gcPausePercent = gcPauseShare(before.gatewayGcSeconds, after.gatewayGcSeconds, wallMs);
    const simulatorCpu =
      after.simulatorCpu === undefined || before.simulatorCpu === undefined
        ? undefined
        : after.simulatorCpu - before.simulatorCpu;
    const redisCpu =
      after.redisCpu === undefined || before.redisCpu === undefined
        ? undefined
        : after.redisCpu - before.redisCpu;

    const loadGeneratorCpuPercent = percentOf(load.cpuSeconds, load.durationSeconds * 1000);
    const machineCpu =
      after.machineBusyTicks === undefined || before.machineBusyTicks === undefined
        ? undefined
        : (after.machineBusyTicks - before.machineBusyTicks) / CLOCK_TICKS;
    const otherCpuPercent =
      machineCpu === undefined
        ? undefined
        : Math.max(
            0,
            percentOf(
              machineCpu - (gatewayCpu ?? 0) - (simulatorCpu ?? 0) - (redisCpu ?? 0),
              wallMs,
            ) - loadGeneratorCpuPercent,
          );

    return {
      workload: spec.workload,
      latencyMs: spec.latencyMs,
      ...(spec.build === undefined ? {} : { build: spec.build.commit }),
      load,
      opsPerSecond: load.durationSeconds > 0 ? completed / load.durationSeconds : 0,
      upstreamCallsPerOperation: completed > 0 ? (after.reads - before.reads) / completed : 0,
      upstreamMaxInFlight: after.maxInFlight,
      ...(gatewayCpu === undefined || gatewayMemory === undefined
        ? {}
        : {
            gateway: {
              cpuSecondsPer1000Operations: completed > 0 ? (gatewayCpu / completed) * 1000 : 0,
              cpuPercent: percentOf(gatewayCpu, wallMs),
              ...(gatewayMainThreadCpu === undefined
                ? {}
                : { mainThreadCpuPercent: percentOf(gatewayMainThreadCpu, wallMs) }),
              ...(gcPausePercent === undefined ? {} : { gcPausePercent }),
              peakRssBytes: gatewayMemory.peakRssBytes,
              rssBytesAtEnd: gatewayMemory.rssBytes,
            },
          }),
      ...(simulatorCpu === undefined
        ? {}
        : { simulatorCpuPercent: percentOf(simulatorCpu, wallMs) }),
      loadGeneratorCpuPercent,
      ...(redisCpu === undefined ? {} : { redisCpuPercent: percentOf(redisCpu, wallMs) }),
      ...(otherCpuPercent === undefined ? {} : { otherCpuPercent }),
      ...(spec.sampleRss ? { rssSamples } : {}),
      ...(held === undefined || openSubs === undefined
        ? {}
        : {
            subscriptions: {
              open: openSubs,
              workerCpuSeconds: held.cpuSeconds,
              unexpectedEvents: held.unexpectedEvents,
              errorEvents: held.errorEvents,
              droppedConnections: held.droppedConnections,
            },
          }),
    };
  } finally {
    clearInterval(sampler);
    await subscriptions?.close().catch(() => undefined);
    // The gateway first: stopped by SIGTERM it drains, and writes its --cpu-prof profile.
    for (const gateway of gateways) await gateway.process.stop();
    await simulator.process.stop();
    await redis?.process.stop();
  }
}
