import type { Machine } from './machine.js';
import type { RssSample, RunResult } from './measure.js';
import type { FleetResult } from './fleet-budget.js';
import type { OverloadResult } from './overload.js';
import type { S1Result } from './s1.js';
import { fixed, table } from './markdown-table.js';
import { formatRatio, formatRounds, summariseRounds, type RoundsSummary } from './rounds.js';
import { WORKLOAD_NAMES, WORKLOADS, type WorkloadName } from './workloads.js';

/**
 * Turns runs into what a reader compares: absolute numbers per run, and ratios that survive a
 * change of machine (the gateway against the simulator's own limit, and against the bound its
 * upstream concurrency sets).
 */

export interface Settings {
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
  readonly upstreamMaxConcurrency: number;
  readonly gatewayEnv: Readonly<Record<string, string>>;
  readonly gatewayNodeArgs: readonly string[];
  readonly loadGenerator: string;
  /** `--rounds`: every workload×latency ran this many times, interleaved. */
  readonly rounds?: number;
}

export interface BoundShare {
  readonly workload: WorkloadName;
  /** UPSTREAM_MAX_CONCURRENCY ÷ latency ÷ unique customers per operation, ops/s. */
  readonly boundOpsPerSecond: number;
  readonly opsPerSecond: number;
  readonly fraction: number;
}

export interface LatencyRatios {
  readonly latencyMs: number;
  /** With `--rounds`, the round these runs came from. */
  readonly round?: number;
  /** W1 ops/s ÷ W4 ops/s: how much of the simulator's own throughput the gateway keeps. */
  readonly w1OverW4Throughput?: number;
  /** What the gateway adds to one call, at the median and the tail. */
  readonly w1MinusW4P50Ms?: number;
  readonly w1MinusW4P99Ms?: number;
  /** The references' ops/s ÷ W4's, when they ran: where the gateway stands between them. */
  readonly referenceOverW4Throughput?: Partial<Record<'R1' | 'R2', number>>;
  /** Only at latency > 0: at 0 ms the bound is infinite. */
  readonly ofUpstreamBound: readonly BoundShare[];
}

export interface SoakSummary {
  readonly seconds: number;
  readonly opsPerSecond: number;
  readonly firstRssBytes: number;
  readonly lastRssBytes: number;
  readonly peakRssBytes: number;
  /** Least-squares slope of RSS over the soak. */
  readonly slopeMiBPerMinute: number;
  /** CPU of other processes during the soak, percent of one core (see RunResult). */
  readonly otherCpuPercent?: number;
  readonly samples: readonly RssSample[];
}

export interface BenchReport {
  readonly machine: Machine;
  readonly settings: Settings;
  readonly runs: readonly RunResult[];
  readonly ratios: readonly LatencyRatios[];
  /** With `--rounds` above 1: medians and spread per workload, and same-round ratios. */
  readonly rounds?: RoundsSummary;
  /** The overload run (bench/overload.ts), and the same against another commit when asked. */
  readonly overload?: readonly OverloadResult[];
  /** The fleet run (bench/fleet-budget.ts). */
  readonly fleet?: FleetResult;
  /** Idle subscriptions (bench/s1.ts). */
  readonly s1?: S1Result;
  readonly soak?: SoakSummary;
}

const MiB = 2 ** 20;
/** CPU of other processes (percent of one core) above which a run is flagged as disturbed. */
const BUSY_MACHINE_PERCENT = 15;

export function computeRatios(runs: readonly RunResult[], concurrency: number): LatencyRatios[] {
  const latencies = [...new Set(runs.map((run) => run.latencyMs))];
  return latencies.map((latencyMs) => {
    const at = (name: WorkloadName): RunResult | undefined =>
      runs.find((run) => run.workload === name && run.latencyMs === latencyMs);
    const w1 = at('W1');
    const w4 = at('W4');
    const ofUpstreamBound: BoundShare[] = [];
    if (latencyMs > 0) {
      for (const run of runs) {
        const workload = WORKLOADS[run.workload];
        if (run.latencyMs !== latencyMs || workload.target !== 'gateway' || workload.reference)
          continue;
        const unique = WORKLOADS[run.workload].uniqueCustomersPerOperation;
        const boundOpsPerSecond = concurrency / (latencyMs / 1000) / unique;
        ofUpstreamBound.push({
          workload: run.workload,
          boundOpsPerSecond,
          opsPerSecond: run.opsPerSecond,
          fraction: run.opsPerSecond / boundOpsPerSecond,
        });
      }
    }
    return {
      latencyMs,
      ...(w1 && w4 && w4.opsPerSecond > 0
        ? {
            w1OverW4Throughput: w1.opsPerSecond / w4.opsPerSecond,
            w1MinusW4P50Ms: w1.load.latencyMs.p50 - w4.load.latencyMs.p50,
            w1MinusW4P99Ms: w1.load.latencyMs.p99 - w4.load.latencyMs.p99,
          }
        : {}),
      ...(w4 && w4.opsPerSecond > 0 && (at('R1') || at('R2'))
        ? {
            referenceOverW4Throughput: Object.fromEntries(
              (['R1', 'R2'] as const).flatMap((name) => {
                const reference = at(name);
                return reference ? [[name, reference.opsPerSecond / w4.opsPerSecond]] : [];
              }),
            ),
          }
        : {}),
      ofUpstreamBound,
    };
  });
}

export function summariseSoak(run: RunResult): SoakSummary | undefined {
  const samples = run.rssSamples ?? [];
  const first = samples[0];
  const last = samples.at(-1);
  if (first === undefined || last === undefined) return undefined;
  return {
    seconds: run.load.durationSeconds,
    opsPerSecond: run.opsPerSecond,
    firstRssBytes: first.rssBytes,
    lastRssBytes: last.rssBytes,
    peakRssBytes: Math.max(...samples.map((sample) => sample.rssBytes)),
    slopeMiBPerMinute: (slope(samples) * 60) / MiB,
    ...(run.otherCpuPercent === undefined ? {} : { otherCpuPercent: run.otherCpuPercent }),
    samples,
  };
}

/** Least-squares slope of RSS (bytes) over t (s): steadier than last − first. */
export function slope(samples: readonly RssSample[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  const meanT = samples.reduce((sum, s) => sum + s.t, 0) / n;
  const meanR = samples.reduce((sum, s) => sum + s.rssBytes, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.t - meanT) * (s.rssBytes - meanR);
    den += (s.t - meanT) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

function failures(run: RunResult): string {
  const { non2xx, errors, timeouts, graphqlErrors } = run.load;
  const parts = [
    non2xx > 0 ? `${non2xx} non-2xx` : '',
    errors > 0 ? `${errors} errors` : '',
    timeouts > 0 ? `${timeouts} timeouts` : '',
    graphqlErrors > 0 ? `${graphqlErrors} GraphQL errors` : '',
  ].filter((part) => part !== '');
  return parts.length === 0 ? '0' : parts.join(', ');
}

export function formatRunsTable(runs: readonly RunResult[]): string {
  const order = (run: RunResult): number => WORKLOAD_NAMES.indexOf(run.workload);
  const sorted = [...runs].sort(
    (a, b) => a.latencyMs - b.latencyMs || order(a) - order(b) || (a.round ?? 1) - (b.round ?? 1),
  );
  const rounds = runs.some((run) => (run.round ?? 1) > 1);
  const redis = runs.some((run) => run.redisCpuPercent !== undefined);
  return table(
    [
      'workload',
      'latency ms',
      'ops/s',
      'p50 ms',
      'p99 ms',
      'upstream calls/op',
      'max upstream in flight',
      'gateway CPU s/1k ops',
      'gateway peak RSS MiB',
      'CPU % gateway/sim/load/other',
      'failures',
      ...(redis ? ['redis-server CPU %'] : []),
      ...(rounds ? ['round'] : []),
    ],
    sorted.map((run) => [
      run.build === undefined ? run.workload : `${run.workload} (${run.build})`,
      String(run.latencyMs),
      fixed(run.opsPerSecond, 0),
      String(run.load.latencyMs.p50),
      String(run.load.latencyMs.p99),
      fixed(run.upstreamCallsPerOperation, 2),
      String(run.upstreamMaxInFlight),
      fixed(run.gateway?.cpuSecondsPer1000Operations, 3),
      fixed(run.gateway === undefined ? undefined : run.gateway.peakRssBytes / MiB, 0),
      [
        run.gateway?.cpuPercent,
        run.simulatorCpuPercent,
        run.loadGeneratorCpuPercent,
        run.otherCpuPercent,
      ]
        .map((percent) => fixed(percent, 0))
        .join('/'),
      failures(run),
      ...(redis ? [fixed(run.redisCpuPercent, 0)] : []),
      ...(rounds ? [String(run.round ?? 1)] : []),
    ]),
  );
}

export function formatRatiosTable(ratios: readonly LatencyRatios[]): string {
  const bound = (ratio: LatencyRatios, name: WorkloadName): string => {
    const share = ratio.ofUpstreamBound.find((entry) => entry.workload === name);
    return share === undefined
      ? '—'
      : `${share.fraction.toFixed(2)} (${share.opsPerSecond.toFixed(0)} of ${share.boundOpsPerSecond.toFixed(0)})`;
  };
  const references = (['R1', 'R2'] as const).filter((name) =>
    ratios.some((ratio) => ratio.referenceOverW4Throughput?.[name] !== undefined),
  );
  return table(
    [
      'latency ms',
      'W1/W4 ops/s',
      ...references.map((name) => `${name}/W4 ops/s`),
      'W1−W4 p50 ms',
      'W1−W4 p99 ms',
      'W1 of bound',
      'W2 of bound',
      'W3 of bound',
    ],
    ratios.map((ratio) => [
      String(ratio.latencyMs),
      fixed(ratio.w1OverW4Throughput, 2),
      ...references.map((name) => fixed(ratio.referenceOverW4Throughput?.[name], 2)),
      fixed(ratio.w1MinusW4P50Ms, 0),
      fixed(ratio.w1MinusW4P99Ms, 0),
      bound(ratio, 'W1'),
      bound(ratio, 'W2'),
      bound(ratio, 'W3'),
    ]),
  );
}

/**
 * The target ratios `--rounds` reports (W1/R2, W2/R3, W3/R4, W7/W1, …), here from the one run of
 * each workload; undefined when no pair ran.
 */
function formatPairRatios(runs: readonly RunResult[]): string | undefined {
  const ratios = summariseRounds(runs.filter((run) => run.build === undefined)).ratios;
  if (ratios.length === 0) return undefined;
  return table(
    ['latency ms', 'same-run ratio', 'value'],
    ratios.map((ratio) => [String(ratio.latencyMs), ratio.name, formatRatio(ratio)]),
  );
}

export function formatSoak(soak: SoakSummary): string {
  const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;
  return [
    `Memory soak: W1 at 0 ms for ${soak.seconds.toFixed(0)} s, ${soak.opsPerSecond.toFixed(0)} ops/s, gateway RSS sampled every second`,
    `  first sample after warm-up ${mib(soak.firstRssBytes)}, last ${mib(soak.lastRssBytes)}, peak ${mib(soak.peakRssBytes)}`,
    `  slope ${soak.slopeMiBPerMinute >= 0 ? '+' : ''}${soak.slopeMiBPerMinute.toFixed(2)} MiB/min (least squares over ${soak.samples.length} samples)`,
    ...((soak.otherCpuPercent ?? 0) > BUSY_MACHINE_PERCENT
      ? [
          `  Warning: other processes used ${soak.otherCpuPercent?.toFixed(0) ?? ''} % of a core meanwhile; ops/s is not clean.`,
        ]
      : []),
  ].join('\n');
}

export function formatReport(report: BenchReport): string {
  const { machine, settings } = report;
  const extraEnv = [
    ...Object.entries(settings.gatewayEnv).map(([key, value]) => `${key}=${value}`),
    ...(settings.gatewayNodeArgs.length > 0 ? [`node ${settings.gatewayNodeArgs.join(' ')}`] : []),
  ];
  const lines = [
    `Benchmark ${machine.date} · commit ${machine.commit ?? 'unknown'} · Node ${machine.node} · ${machine.cores} cores (${machine.cpuModel}) · ${machine.memoryGiB} GiB`,
    `${settings.loadGenerator}, ${settings.connections} connections, ${settings.warmupSeconds} s warm-up before each measurement · gateway UPSTREAM_MAX_CONCURRENCY=${settings.upstreamMaxConcurrency}${extraEnv.length > 0 ? ` ${extraEnv.join(' ')}` : ''}, NODE_ENV=production, LOG_LEVEL=warn`,
  ];
  if (report.runs.length > 0) {
    lines.push(
      '',
      `${(settings.rounds ?? 1) > 1 ? `${settings.rounds ?? 1} interleaved rounds (every workload once per round, in the order below by round); e` : 'E'}ach run ${settings.durationSeconds} s on a fresh simulator and gateway:`,
      '',
      formatRunsTable(report.runs),
      '',
      report.rounds === undefined ? formatRatiosTable(report.ratios) : formatRounds(report.rounds),
    );
    if (report.rounds === undefined) {
      lines.push(
        '',
        `bound = UPSTREAM_MAX_CONCURRENCY ÷ latency ÷ unique customers per operation (ops/s); W1 unique 1, W2 15, W3 40.`,
      );
      const pairs = formatPairRatios(report.runs);
      if (pairs !== undefined) lines.push('', pairs);
    }
  }
  const disturbed = report.runs.filter((run) => (run.otherCpuPercent ?? 0) > BUSY_MACHINE_PERCENT);
  if (disturbed.length > 0) {
    lines.push(
      '',
      `Warning: other processes used more than ${BUSY_MACHINE_PERCENT} % of a core during ${disturbed
        .map(
          (run) =>
            `${run.workload}@${run.latencyMs}ms${run.round === undefined ? '' : ` (round ${run.round})`}`,
        )
        .join(', ')}; those numbers are not clean.`,
    );
  }
  if (report.soak) lines.push('', formatSoak(report.soak));
  return lines.join('\n');
}
