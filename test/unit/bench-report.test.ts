import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../bench/measure.js';
import { formatReport, type BenchReport } from '../../bench/report.js';
import type { WorkloadName } from '../../bench/workloads.js';

function run(workload: WorkloadName, opsPerSecond: number, cpu: number, redis?: number): RunResult {
  return {
    workload,
    latencyMs: 0,
    opsPerSecond,
    load: {
      completed: opsPerSecond * 2,
      non2xx: 0,
      errors: 0,
      timeouts: 0,
      graphqlErrors: 0,
      durationSeconds: 2,
      latencyMs: { mean: 1, p50: 1, p90: 2, p99: 4, max: 4 },
      operationsBuilt: opsPerSecond * 3,
      cpuSeconds: 1,
    },
    upstreamCallsPerOperation: 1,
    upstreamMaxInFlight: 1,
    gateway: {
      cpuSecondsPer1000Operations: cpu,
      cpuPercent: 95,
      peakRssBytes: 2 ** 20,
      rssBytesAtEnd: 2 ** 20,
    },
    simulatorCpuPercent: 10,
    loadGeneratorCpuPercent: 30,
    ...(redis === undefined ? {} : { redisCpuPercent: redis }),
    otherCpuPercent: 2,
  };
}

function report(runs: readonly RunResult[]): BenchReport {
  return {
    machine: {
      date: '2026-12-02T00:00:00.000Z',
      node: 'v20.20.2',
      cores: 2,
      cpuModel: 'test',
      memoryGiB: 1,
      commit: 'abc1234',
    },
    settings: {
      connections: 32,
      warmupSeconds: 1,
      durationSeconds: 2,
      upstreamMaxConcurrency: 32,
      gatewayEnv: {},
      gatewayNodeArgs: [],
      loadGenerator: 'autocannon test',
    },
    runs,
    ratios: [],
  };
}

const rowOf = (text: string, workload: string): string[] => {
  const line = text.split('\n').find((one) => one.startsWith(`| ${workload} `)) ?? '';
  return line.split('|').map((cell) => cell.trim());
};

describe('formatReport of a single round', () => {
  it("shows redis-server's CPU in a column of its own, apart from the gateway's", () => {
    const text = formatReport(report([run('W1', 5000, 0.2), run('W7', 4800, 0.21, 7)]));
    const header = rowOf(text, 'workload');
    const column = header.indexOf('redis-server CPU %');
    expect(column, text).toBeGreaterThan(0);
    expect(rowOf(text, 'W7')[column]).toBe('7');
    expect(rowOf(text, 'W1')[column]).toBe('—');
    expect(rowOf(text, 'W7')[header.indexOf('gateway CPU s/1k ops')]).toBe('0.210');
  });

  it('has no redis-server column when no workload ran one', () => {
    expect(formatReport(report([run('W1', 5000, 0.2)]))).not.toContain('redis-server');
  });

  it('prints the same-run target ratios of the pairs that ran', () => {
    const text = formatReport(
      report([
        run('W1', 5000, 0.2),
        run('W7', 4800, 0.21),
        run('W2', 400, 2.4),
        run('R3', 800, 1.2),
      ]),
    );
    const ratio = (name: string): string | undefined =>
      text
        .split('\n')
        .find((line) => line.includes(`| ${name} `))
        ?.split('|')
        .map((cell) => cell.trim())[3];
    expect(ratio('W7/W1 CPU per op'), text).toBe('1.05');
    expect(ratio('W2/R3 ops/s'), text).toBe('0.50');
    expect(ratio('W2/R3 CPU per op'), text).toBe('2.00');
    expect(text).not.toContain('W1/R2');
  });
});
