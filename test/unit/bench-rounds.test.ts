import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../bench/measure.js';
import { formatSpread, median, roundPlan, spread, summariseRounds } from '../../bench/rounds.js';
import type { WorkloadName } from '../../bench/workloads.js';

function run(
  workload: WorkloadName,
  latencyMs: number,
  round: number,
  opsPerSecond: number,
  p99: number,
  cpu?: number,
): RunResult {
  return {
    workload,
    latencyMs,
    round,
    opsPerSecond,
    load: {
      completed: opsPerSecond * 10,
      non2xx: 0,
      errors: 0,
      timeouts: 0,
      graphqlErrors: 0,
      durationSeconds: 10,
      latencyMs: { mean: 1, p50: 1, p90: 2, p99, max: p99 },
      operationsBuilt: opsPerSecond * 13,
      cpuSeconds: 1,
    },
    upstreamCallsPerOperation: workload === 'W5' ? 0 : 1,
    upstreamMaxInFlight: 1,
    ...(cpu === undefined
      ? {}
      : {
          gateway: {
            cpuSecondsPer1000Operations: cpu,
            cpuPercent: 90,
            peakRssBytes: 1,
            rssBytesAtEnd: 1,
          },
        }),
    loadGeneratorCpuPercent: 20,
    otherCpuPercent: round,
  };
}

describe('median and spread', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(spread([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5, n: 3 });
    expect(spread([])).toBeUndefined();
  });

  it('prints the range only when the rounds differ at the printed precision', () => {
    expect(formatSpread({ median: 3, min: 1, max: 5, n: 3 }, 0)).toBe('3 (1–5)');
    expect(formatSpread({ median: 0.2501, min: 0.2499, max: 0.2502, n: 3 }, 2)).toBe('0.25');
    expect(formatSpread(undefined, 2)).toBe('—');
  });
});

describe('summariseRounds', () => {
  it('summarises each workload over its rounds and takes ratios within a round first', () => {
    const runs = [
      run('W1', 0, 1, 4000, 10, 0.2),
      run('R2', 0, 1, 5000, 8, 0.16),
      run('W1', 0, 2, 2000, 20, 0.3),
      run('R2', 0, 2, 4000, 9, 0.2),
      run('W1', 0, 3, 3000, 12, 0.25),
      run('R2', 0, 3, 3000, 30, 0.25),
      run('W4', 20, 1, 1000, 22),
      run('W5', 20, 1, 4000, 5, 0.1),
    ];
    const summary = summariseRounds(runs);

    expect(summary.rounds).toBe(3);
    // median (min–max) over n rounds; one value for all three when every round agreed.
    const over = (n: number, median: number, min = median, max = median) => ({
      median,
      min,
      max,
      n,
    });
    expect(summary.rows).toEqual([
      {
        workload: 'W1',
        latencyMs: 0,
        opsPerSecond: over(3, 3000, 2000, 4000),
        p50Ms: over(3, 1),
        p99Ms: over(3, 12, 10, 20),
        cpuSecondsPer1000Operations: over(3, 0.25, 0.2, 0.3),
        upstreamCallsPerOperation: over(3, 1),
        maxOtherCpuPercent: 3,
      },
      {
        workload: 'R2',
        latencyMs: 0,
        opsPerSecond: over(3, 4000, 3000, 5000),
        p50Ms: over(3, 1),
        p99Ms: over(3, 9, 8, 30),
        cpuSecondsPer1000Operations: over(3, 0.2, 0.16, 0.25),
        upstreamCallsPerOperation: over(3, 1),
        maxOtherCpuPercent: 3,
      },
      {
        workload: 'W4',
        latencyMs: 20,
        opsPerSecond: over(1, 1000),
        p50Ms: over(1, 1),
        p99Ms: over(1, 22),
        upstreamCallsPerOperation: over(1, 1),
        maxOtherCpuPercent: 1,
      },
      {
        workload: 'W5',
        latencyMs: 20,
        opsPerSecond: over(1, 4000),
        p50Ms: over(1, 1),
        p99Ms: over(1, 5),
        cpuSecondsPer1000Operations: over(1, 0.1),
        upstreamCallsPerOperation: over(1, 0),
        maxOtherCpuPercent: 1,
      },
    ]);

    // W1/R2 per round: 0.8, 0.5, 1.0 → median 0.8 (the ratio of the medians would be 0.75).
    const ratio = (name: string, latencyMs: number) =>
      summary.ratios.find((one) => one.name === name && one.latencyMs === latencyMs)?.value;
    expect(ratio('W1/R2 ops/s', 0)).toEqual({ median: 0.8, min: 0.5, max: 1, n: 3 });
    expect(ratio('W1/R2 CPU per op', 0)?.median).toBeCloseTo(1.25);
    expect(ratio('W5/W4 ops/s', 20)).toEqual({ median: 4, min: 4, max: 4, n: 1 });
    // Neither W1 at 20 ms nor W4 at 0 ms ran: no ratio is made up for them.
    expect(ratio('W1/W4 ops/s', 20)).toBeUndefined();
    expect(ratio('W1/W4 ops/s', 0)).toBeUndefined();
    expect(summary.ratios.map((one) => `${one.name}@${one.latencyMs}`)).toEqual([
      'W1/R2 ops/s@0',
      'W1/R2 CPU per op@0',
      'W5/W4 ops/s@20',
    ]);
  });
});

describe('summariseRounds: each gateway workload against the reference serving its request', () => {
  it('compares W2 with R3, W3 with R4 and W7 with W1, and W2 and W3 no longer with R2', () => {
    const summary = summariseRounds([
      run('W1', 0, 1, 5000, 10, 0.2),
      run('W2', 0, 1, 400, 20, 2.4),
      run('W3', 0, 1, 150, 40, 6),
      run('W7', 0, 1, 4800, 10, 0.21),
      run('R2', 0, 1, 8000, 8, 0.125),
      run('R3', 0, 1, 800, 12, 1.2),
      run('R4', 0, 1, 300, 30, 2.4),
      run('W1', 0, 2, 4000, 10, 0.25),
      run('W2', 0, 2, 300, 20, 3),
      run('W3', 0, 2, 100, 40, 9),
      run('W7', 0, 2, 3800, 10, 0.275),
      run('R2', 0, 2, 6000, 8, 0.15),
      run('R3', 0, 2, 500, 12, 1.5),
      run('R4', 0, 2, 250, 30, 3),
    ]);
    const ratio = (name: string) => summary.ratios.find((one) => one.name === name)?.value;

    expect(summary.ratios.map((one) => one.name)).toEqual([
      'W1/R2 ops/s',
      'W1/R2 CPU per op',
      'W2/R3 ops/s',
      'W2/R3 CPU per op',
      'W3/R4 ops/s',
      'W3/R4 CPU per op',
      'W7/W1 CPU per op',
    ]);
    // Round 1: 400/800, round 2: 300/500.
    expect(ratio('W2/R3 ops/s')?.median).toBeCloseTo((0.5 + 0.6) / 2);
    // 2.4/1.2 and 3/1.5: 2 in both rounds.
    expect(ratio('W2/R3 CPU per op')).toMatchObject({ min: 2, max: 2, n: 2 });
    expect(ratio('W3/R4 ops/s')?.min).toBeCloseTo(0.4);
    expect(ratio('W3/R4 ops/s')?.max).toBeCloseTo(0.5);
    expect(ratio('W3/R4 CPU per op')?.median).toBeCloseTo((2.5 + 3) / 2);
    // The fleet features' price on W1 cold: 0.21/0.2 and 0.275/0.25.
    expect(ratio('W7/W1 CPU per op')?.min).toBeCloseTo(1.05);
    expect(ratio('W7/W1 CPU per op')?.max).toBeCloseTo(1.1);
  });
});

describe('roundPlan', () => {
  it('runs the whole list once per round, and a --before build beside each gateway workload, alternating', () => {
    const plan = roundPlan({
      rounds: 2,
      latenciesMs: [0, 20],
      workloads: ['W1', 'W4', 'R2', 'O1'],
      withBefore: true,
    });
    expect(
      plan.map((run) => `${run.round}:${run.workload}@${run.latencyMs}${run.before ? '*' : ''}`),
    ).toEqual([
      '1:W1@0',
      '1:W1@0*',
      '1:W4@0',
      '1:R2@0',
      '1:W1@20',
      '1:W1@20*',
      '1:W4@20',
      '1:R2@20',
      '2:W1@0*',
      '2:W1@0',
      '2:W4@0',
      '2:R2@0',
      '2:W1@20*',
      '2:W1@20',
      '2:W4@20',
      '2:R2@20',
    ]);
  });
});

describe('summariseRounds with a --before build', () => {
  it('keeps the builds apart and compares them within each round', () => {
    const before = (result: RunResult): RunResult => ({ ...result, build: 'abc1234' });
    const summary = summariseRounds([
      run('W1', 0, 1, 4000, 10, 0.2),
      before(run('W1', 0, 1, 3000, 10, 0.25)),
      before(run('W1', 0, 2, 2000, 10, 0.5)),
      run('W1', 0, 2, 2200, 10, 0.4),
    ]);
    expect(summary.rows.map((row) => [row.workload, row.build, row.opsPerSecond.median])).toEqual([
      ['W1', undefined, 3100],
      ['W1', 'abc1234', 2500],
    ]);
    const ratio = (name: string) => summary.ratios.find((one) => one.name === name)?.value;
    // Round 1: 4000/3000, round 2: 2200/2000.
    expect(ratio('W1 this/abc1234 ops/s')?.median).toBeCloseTo((4000 / 3000 + 1.1) / 2);
    expect(ratio('W1 this/abc1234 CPU per op')?.min).toBeCloseTo(0.8);
    expect(ratio('W1 this/abc1234 CPU per op')?.max).toBeCloseTo(0.8);
  });
});
