import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { describeWarnings, warningsIn } from '../helpers/process-warnings.js';

/**
 * Keeps `npm run bench` runnable: a short run of every workload must finish, print a row for
 * each, and move operations. Speed is not asserted: CI machines differ, and other test files run
 * beside this one.
 */

let bench: ChildProcess | undefined;
afterEach(() => {
  // The whole process group: npm, its shell, tsx, the benchmark and whatever it started.
  if (bench?.pid !== undefined && bench.exitCode === null) process.kill(-bench.pid, 'SIGKILL');
  bench = undefined;
});

function runBench(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'bench', '--', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so afterEach can stop everything below npm at once.
      detached: true,
    });
    bench = child;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

it('runs W1–W7 and the references briefly and prints a row with throughput for each', async () => {
  const { code, stdout, stderr } = await runBench([
    '--duration',
    '2',
    '--warmup',
    '1',
    '--latency',
    '0',
    '--workloads',
    'W1,W2,W3,W4,W5,W6,W7,R1,R2,R3',
    '--no-write',
  ]);
  expect(code, stderr).toBe(0);
  // The benchmark's, and those it passes on from the gateways and simulators it started.
  const warnings = warningsIn(stderr);
  expect(warnings, describeWarnings(warnings)).toEqual([]);

  const header = stdout.split('\n').find((line) => line.startsWith('| workload'));
  expect(header, stdout).toBeDefined();
  const columns = (header ?? '').split('|').map((cell) => cell.trim());
  const rows = stdout
    .split('\n')
    .filter((line) => /^\| [WR]\d /.test(line))
    .map((line) => {
      const cells = line.split('|').map((cell) => cell.trim());
      const cell = (name: string): string => cells[columns.indexOf(name)] ?? '';
      return {
        workload: cell('workload'),
        opsPerSecond: Number(cell('ops/s')),
        failures: cell('failures'),
      };
    });

  expect(rows.map((row) => row.workload)).toEqual([
    'W1',
    'W2',
    'W3',
    'W4',
    'W5',
    'W6',
    'W7',
    'R1',
    'R2',
    'R3',
  ]);
  for (const row of rows) {
    expect(row.opsPerSecond, row.workload).toBeGreaterThan(0);
    expect(row.failures, row.workload).toBe('0');
  }
  expect(stdout).toContain('W1/W4 ops/s');
  expect(stdout).toContain('R2/W4 ops/s');
  expect(stdout).toContain('W2/R3 CPU per op');
  expect(stdout).toContain('W7/W1 CPU per op');
  expect(stdout).toContain('redis-server CPU %');
}, 180_000);
