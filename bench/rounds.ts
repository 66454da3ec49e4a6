import { fixed, table } from './markdown-table.js';
import type { RunResult } from './measure.js';
import { WORKLOAD_NAMES, WORKLOADS, type WorkloadName } from './workloads.js';

/**
 * `--rounds N`: every workload×latency runs once per round, rounds one after another, so a slow
 * minute of the shared machine hits all workloads alike. A reader compares medians, and tells an
 * effect from noise by the spread; ratios are taken within a round (the same minute) first, and
 * only then summarised.
 */

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** How many rounds had the value. */
  readonly n: number;
}

export interface RoundsRow {
  readonly workload: WorkloadName;
  readonly latencyMs: number;
  /** The `--before` build's commit, for its rows. */
  readonly build?: string;
  readonly opsPerSecond: Spread;
  readonly p50Ms: Spread;
  readonly p99Ms: Spread;
  /** Absent for W4, which has no gateway. */
  readonly cpuSecondsPer1000Operations?: Spread;
  readonly upstreamCallsPerOperation: Spread;
  /** The busiest round's CPU of other processes, percent of one core. */
  readonly maxOtherCpuPercent?: number;
}

export interface RoundRatio {
  readonly name: string;
  readonly latencyMs: number;
  readonly value: Spread;
}

export interface RoundsSummary {
  readonly rounds: number;
  readonly rows: readonly RoundsRow[];
  readonly ratios: readonly RoundRatio[];
}

export interface PlannedRun {
  readonly round: number;
  readonly latencyMs: number;
  readonly workload: WorkloadName;
  /** Run against the `--before` build instead of this checkout. */
  readonly before: boolean;
}

/**
 * Round after round of the whole list, so a slow minute of a shared machine falls on every
 * workload alike rather than on whichever ran then. With a `--before` build each gateway
 * workload runs twice in a row, this checkout first in odd rounds and the other build first in
 * even ones, so neither always gets the quieter or the warmer seat.
 */
export function roundPlan(options: {
  readonly rounds: number;
  readonly latenciesMs: readonly number[];
  readonly workloads: readonly WorkloadName[];
  readonly withBefore: boolean;
}): PlannedRun[] {
  const plan: PlannedRun[] = [];
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const latencyMs of options.latenciesMs) {
      for (const workload of options.workloads) {
        if (workload === 'O1' || workload === 'F1' || workload === 'S1') continue;
        const spec = WORKLOADS[workload];
        const compared =
          options.withBefore && spec.target === 'gateway' && spec.reference === undefined;
        const order = !compared ? [false] : round % 2 === 1 ? [false, true] : [true, false];
        for (const before of order) plan.push({ round, latencyMs, workload, before });
      }
    }
  }
  return plan;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

export function spread(values: readonly number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    n: values.length,
  };
}

type Metric = (run: RunResult) => number | undefined;

const OPS: Metric = (run) => run.opsPerSecond;
const CPU: Metric = (run) => run.gateway?.cpuSecondsPer1000Operations;
const P99: Metric = (run) => run.load.latencyMs.p99;

/**
 * The same-run comparisons the performance targets are written in: each gateway workload against
 * the minimal Apollo subgraph serving the same request (W1/R2, W2/R3, W3/R4), W1 against the
 * simulator alone (W4), the warm cache against W4, and the fleet features against W1 cold.
 */
const RATIOS: readonly {
  readonly name: string;
  readonly a: WorkloadName;
  readonly b: WorkloadName;
  readonly metric: Metric;
  readonly combine: 'divide' | 'subtract';
}[] = [
  { name: 'W1/R2 ops/s', a: 'W1', b: 'R2', metric: OPS, combine: 'divide' },
  { name: 'W1/R2 CPU per op', a: 'W1', b: 'R2', metric: CPU, combine: 'divide' },
  { name: 'W2/R3 ops/s', a: 'W2', b: 'R3', metric: OPS, combine: 'divide' },
  { name: 'W2/R3 CPU per op', a: 'W2', b: 'R3', metric: CPU, combine: 'divide' },
  { name: 'W3/R4 ops/s', a: 'W3', b: 'R4', metric: OPS, combine: 'divide' },
  { name: 'W3/R4 CPU per op', a: 'W3', b: 'R4', metric: CPU, combine: 'divide' },
  { name: 'W1/W4 ops/s', a: 'W1', b: 'W4', metric: OPS, combine: 'divide' },
  { name: 'W1−W4 p99 ms', a: 'W1', b: 'W4', metric: P99, combine: 'subtract' },
  { name: 'W5/W4 ops/s', a: 'W5', b: 'W4', metric: OPS, combine: 'divide' },
  { name: 'W7/W1 CPU per op', a: 'W7', b: 'W1', metric: CPU, combine: 'divide' },
];

const key = (run: RunResult): string => `${run.workload}@${run.latencyMs}@${run.build ?? ''}`;

/** What a `--before` comparison reports per gateway workload: this build ÷ the other. */
const COMPARED: readonly { readonly name: string; readonly metric: Metric }[] = [
  { name: 'ops/s', metric: OPS },
  { name: 'CPU per op', metric: CPU },
];

function values(runs: readonly RunResult[], metric: Metric): number[] {
  return runs.map(metric).filter((value): value is number => value !== undefined);
}

export function summariseRounds(runs: readonly RunResult[]): RoundsSummary {
  const groups = new Map<string, RunResult[]>();
  for (const run of runs) {
    const group = groups.get(key(run)) ?? [];
    group.push(run);
    groups.set(key(run), group);
  }
  const order = (run: RunResult): number => WORKLOAD_NAMES.indexOf(run.workload);
  const firsts = [...groups.values()]
    .map((group) => group[0])
    .filter((run): run is RunResult => run !== undefined)
    .sort(
      (a, b) =>
        a.latencyMs - b.latencyMs ||
        order(a) - order(b) ||
        Number(a.build !== undefined) - Number(b.build !== undefined),
    );

  const rows: RoundsRow[] = firsts.map((first) => {
    const group = groups.get(key(first)) ?? [];
    const cpu = spread(values(group, CPU));
    const other = values(group, (run) => run.otherCpuPercent);
    return {
      workload: first.workload,
      latencyMs: first.latencyMs,
      ...(first.build === undefined ? {} : { build: first.build }),
      opsPerSecond: spread(values(group, OPS)) ?? missing(),
      p50Ms: spread(values(group, (run) => run.load.latencyMs.p50)) ?? missing(),
      p99Ms: spread(values(group, P99)) ?? missing(),
      ...(cpu === undefined ? {} : { cpuSecondsPer1000Operations: cpu }),
      upstreamCallsPerOperation:
        spread(values(group, (run) => run.upstreamCallsPerOperation)) ?? missing(),
      ...(other.length === 0 ? {} : { maxOtherCpuPercent: Math.max(...other) }),
    };
  });

  const latencies = [...new Set(runs.map((run) => run.latencyMs))].sort((a, b) => a - b);
  const roundNumbers = [...new Set(runs.map((run) => run.round ?? 1))];
  const find = (
    round: number,
    workload: WorkloadName,
    latencyMs: number,
    build: string | undefined,
  ): RunResult | undefined =>
    runs.find(
      (one) =>
        (one.round ?? 1) === round &&
        one.workload === workload &&
        one.latencyMs === latencyMs &&
        one.build === build,
    );
  const perRound = (
    a: (round: number) => number | undefined,
    b: (round: number) => number | undefined,
    combine: 'divide' | 'subtract',
  ): Spread | undefined => {
    const found: number[] = [];
    for (const round of roundNumbers) {
      const x = a(round);
      const y = b(round);
      if (x === undefined || y === undefined) continue;
      if (combine === 'subtract') found.push(x - y);
      else if (y > 0) found.push(x / y);
    }
    return spread(found);
  };
  const ratios: RoundRatio[] = [];
  for (const latencyMs of latencies) {
    for (const ratio of RATIOS) {
      const value = perRound(
        (round) => metricOf(find(round, ratio.a, latencyMs, undefined), ratio.metric),
        (round) => metricOf(find(round, ratio.b, latencyMs, undefined), ratio.metric),
        ratio.combine,
      );
      if (value !== undefined) ratios.push({ name: ratio.name, latencyMs, value });
    }
    for (const row of rows) {
      if (row.build === undefined || row.latencyMs !== latencyMs) continue;
      const build = row.build;
      for (const compared of COMPARED) {
        const value = perRound(
          (round) => metricOf(find(round, row.workload, latencyMs, undefined), compared.metric),
          (round) => metricOf(find(round, row.workload, latencyMs, build), compared.metric),
          'divide',
        );
        if (value !== undefined) {
          ratios.push({ name: `${row.workload} this/${build} ${compared.name}`, latencyMs, value });
        }
      }
    }
  }
  return { rounds: roundNumbers.length, rows, ratios };
}

function metricOf(run: RunResult | undefined, metric: Metric): number | undefined {
  return run === undefined ? undefined : metric(run);
}

function missing(): never {
  throw new Error('a workload group without runs');
}

/** `median (min–max)`, or just the value when every round agreed or only one ran. */
export function formatSpread(value: Spread | undefined, digits: number): string {
  if (value === undefined) return '—';
  const median = fixed(value.median, digits);
  const min = fixed(value.min, digits);
  const max = fixed(value.max, digits);
  return min === max ? median : `${median} (${min}–${max})`;
}

/** A ratio's value: a difference (its name has `−`) in whole ms, a quotient to two places. */
export function formatRatio(ratio: RoundRatio): string {
  return formatSpread(ratio.value, ratio.name.includes('−') ? 0 : 2);
}

export function formatRounds(summary: RoundsSummary): string {
  const rows = table(
    [
      'workload',
      'latency ms',
      'ops/s',
      'p50 ms',
      'p99 ms',
      'gateway CPU s/1k ops',
      'upstream calls/op',
      'max other CPU %',
    ],
    summary.rows.map((row) => [
      row.build === undefined ? row.workload : `${row.workload} (${row.build})`,
      String(row.latencyMs),
      formatSpread(row.opsPerSecond, 0),
      formatSpread(row.p50Ms, 0),
      formatSpread(row.p99Ms, 0),
      formatSpread(row.cpuSecondsPer1000Operations, 3),
      fixed(row.upstreamCallsPerOperation.median, 2),
      fixed(row.maxOtherCpuPercent, 0),
    ]),
  );
  const ratios = table(
    ['latency ms', 'same-round ratio', `median (min–max) of ${summary.rounds} rounds`],
    summary.ratios.map((ratio) => [String(ratio.latencyMs), ratio.name, formatRatio(ratio)]),
  );
  return [
    `Medians (min–max) over ${summary.rounds} interleaved rounds:`,
    '',
    rows,
    '',
    'Ratios within each round, then their median (min–max):',
    '',
    ratios,
  ].join('\n');
}
