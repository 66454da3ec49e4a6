import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { stopAll, stopAllOnExit } from './child-processes.js';
import { formatFleet, runFleetBudget, type FleetResult } from './fleet-budget.js';
import { describeMachine } from './machine.js';
import { runWorkload, type RunResult, type RunSpec } from './measure.js';
import { roundPlan, summariseRounds } from './rounds.js';
import { runS1, type S1Result } from './s1.js';
import { formatS1 } from './s1-report.js';
import { parseOptions, USAGE, UsageError, type BenchOptions } from './options.js';
import {
  checkoutAndBuild,
  formatOverload,
  OVERLOAD,
  runOverload,
  type OverloadResult,
} from './overload.js';
import {
  computeRatios,
  formatReport,
  summariseSoak,
  type BenchReport,
  type SoakSummary,
} from './report.js';

/**
 * `npm run bench`: builds (in the npm script), then for each latency and workload starts a fresh
 * simulator and gateway from dist/, loads them from a separate worker process, and prints the
 * table. Progress goes to stderr, the report to stdout, the JSON to bench/results/.
 */

const RESULTS_DIR = 'bench/results';

function loadGeneratorName(): string {
  const { version } = createRequire(import.meta.url)('autocannon/package.json') as {
    version: string;
  };
  return `autocannon ${version}`;
}

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

function describeRun(run: RunResult): string {
  const failed = run.load.non2xx + run.load.errors + run.load.graphqlErrors;
  return `${run.opsPerSecond.toFixed(0)} ops/s, p50 ${run.load.latencyMs.p50} ms, p99 ${run.load.latencyMs.p99} ms${failed > 0 ? `, ${failed} failed` : ''}`;
}

function gatewayNodeArgs(options: BenchOptions, profileName: string): string[] {
  return [
    ...options.gatewayNodeArgs,
    ...(options.cpuProfileDir === undefined
      ? []
      : [
          '--cpu-prof',
          `--cpu-prof-dir=${options.cpuProfileDir}`,
          `--cpu-prof-name=${profileName}`,
        ]),
  ];
}

async function main(options: BenchOptions): Promise<BenchReport> {
  if (!existsSync('dist/main.js') || !existsSync('dist/simulator/main.js')) {
    throw new Error('dist/ is missing: run `npm run bench` (it builds first) or `npm run build`');
  }
  const machine = describeMachine();
  const stamp = Date.now();
  const spec = (
    workload: RunSpec['workload'],
    latencyMs: number,
    durationSeconds: number,
    sampleRss: boolean,
    round = 1,
    build?: RunSpec['build'],
  ): RunSpec => ({
    workload,
    latencyMs,
    connections: options.connections,
    warmupSeconds: options.warmupSeconds,
    durationSeconds,
    upstreamMaxConcurrency: options.upstreamMaxConcurrency,
    gatewayEnv: options.gatewayEnv,
    gatewayNodeArgs: gatewayNodeArgs(
      options,
      `gateway-${workload}-${latencyMs}ms-${stamp}-${sampleRss ? 'soak' : `run${round}`}${build === undefined ? '' : `-${build.commit}`}.cpuprofile`,
    ),
    sampleRss,
    build,
  });

  const plan = roundPlan({
    rounds: options.rounds,
    latenciesMs: options.latenciesMs,
    workloads: options.workloads,
    withBefore: options.before !== undefined,
  });
  let before: ReturnType<typeof checkoutAndBuild> | undefined;
  if (options.before !== undefined && plan.some((run) => run.before)) {
    progress(`building ${options.before} in a temporary worktree for --before…`);
    before = checkoutAndBuild(options.before);
  }
  const build =
    before === undefined
      ? undefined
      : { script: `${before.dir}/dist/main.js`, commit: before.commit };
  const runs: RunResult[] = [];
  try {
    for (const [index, planned] of plan.entries()) {
      const { round, latencyMs, workload } = planned;
      const label = `${workload}${planned.before ? ` (${build?.commit ?? ''})` : ''}`;
      const ofRounds = options.rounds > 1 ? `, round ${round}` : '';
      progress(`[${index + 1}/${plan.length}] ${label} at ${latencyMs} ms${ofRounds}…`);
      const run = spec(
        workload,
        latencyMs,
        options.durationSeconds,
        false,
        round,
        planned.before ? build : undefined,
      );
      const result = await runWorkload(run);
      progress(`    ${describeRun(result)}`);
      runs.push(options.rounds > 1 ? { ...result, round } : result);
    }
  } finally {
    before?.remove();
  }

  const overload: OverloadResult[] = [];
  if (options.workloads.includes('O1')) {
    if (options.overloadBefore !== undefined) {
      progress(`overload run: building ${options.overloadBefore} in a temporary worktree…`);
      const before = checkoutAndBuild(options.overloadBefore);
      try {
        progress(`overload run against ${options.overloadBefore} (${before.commit})…`);
        overload.push(
          await runOverload('before', {
            script: `${before.dir}/dist/main.js`,
            commit: before.commit,
            durationSeconds: options.overloadSeconds,
          }),
        );
      } finally {
        before.remove();
      }
    }
    const steady = OVERLOAD.steadyStateWarmupSeconds;
    for (const [warmupSeconds, honourRetryAfter] of [
      [0, false],
      [steady, false],
      [steady, true],
    ] as const) {
      progress(
        `overload run against this checkout, ${warmupSeconds} s warm-up${honourRetryAfter ? ', callers honour Retry-After' : ''}…`,
      );
      overload.push(
        await runOverload('this', {
          commit: machine.commit,
          durationSeconds: options.overloadSeconds,
          warmupSeconds,
          honourRetryAfter,
        }),
      );
    }
    for (const result of overload) {
      progress(
        `    ${result.label}: ${result.goodputOpsPerSecond.toFixed(2)} ops/s answered, ${result.load.refused} refused`,
      );
    }
  }

  let fleet: FleetResult | undefined;
  if (options.workloads.includes('F1')) {
    progress(`fleet run: three gateways sharing Redis under a call budget…`);
    fleet = await runFleetBudget(options.fleetSeconds);
    progress(`    ${fleet.upstreamCalls} calls, busiest 60 s: ${fleet.busiestMinuteCalls}`);
  }

  let s1: S1Result | undefined;
  if (options.workloads.includes('S1')) {
    s1 = await runS1(
      options.s1,
      options.latenciesMs,
      options.rounds,
      (workload, latencyMs) => spec(workload, latencyMs, options.durationSeconds, false),
      progress,
      options.gatewayEnv,
    );
    progress(
      `    reads ÷ interval ${s1.idle.readRatio.toFixed(3)}, change → delivery p99 ${s1.changeAll.latencyMs?.p99 ?? '—'} ms`,
    );
  }

  let soak: SoakSummary | undefined;
  if (options.soakSeconds !== undefined) {
    progress(`memory soak: W1 at 0 ms for ${options.soakSeconds} s…`);
    const result = await runWorkload(spec('W1', 0, options.soakSeconds, true));
    progress(`    ${describeRun(result)}`);
    soak = summariseSoak(result);
  }

  return {
    machine,
    settings: {
      connections: options.connections,
      warmupSeconds: options.warmupSeconds,
      durationSeconds: options.durationSeconds,
      upstreamMaxConcurrency: options.upstreamMaxConcurrency,
      gatewayEnv: options.gatewayEnv,
      gatewayNodeArgs: options.gatewayNodeArgs,
      loadGenerator: loadGeneratorName(),
      ...(options.rounds > 1 ? { rounds: options.rounds } : {}),
    },
    runs,
    // The old per-latency ratios, this checkout's runs only, one set per round.
    ratios: [...new Set(runs.map((run) => run.round))].flatMap((round) =>
      computeRatios(
        runs.filter((run) => run.round === round && run.build === undefined),
        options.upstreamMaxConcurrency,
      ).map((ratios) => (round === undefined ? ratios : { ...ratios, round })),
    ),
    ...((options.rounds > 1 || build !== undefined) && runs.length > 0
      ? { rounds: summariseRounds(runs) }
      : {}),
    ...(overload.length === 0 ? {} : { overload }),
    ...(fleet === undefined ? {} : { fleet }),
    ...(s1 === undefined ? {} : { s1 }),
    ...(soak === undefined ? {} : { soak }),
  };
}

function write(report: BenchReport): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(
    RESULTS_DIR,
    // A soak on its own gets its own name, so it does not replace the day's workload table.
    `${report.machine.date.slice(0, 10)}-${report.machine.commit ?? 'unknown'}${report.runs.length > 0 ? '' : report.soak !== undefined ? '-soak' : report.overload !== undefined ? '-overload' : report.s1 !== undefined ? '-s1' : '-fleet'}.json`,
  );
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

stopAllOnExit();
try {
  const options = parseOptions(process.argv.slice(2));
  if (options === undefined) {
    process.stdout.write(`${USAGE}\n`);
  } else {
    const report = await main(options);
    process.stdout.write(`${formatReport(report)}\n`);
    if (report.overload !== undefined)
      process.stdout.write(`\n${formatOverload(report.overload)}\n`);
    if (report.fleet !== undefined) process.stdout.write(`\n${formatFleet(report.fleet)}\n`);
    if (report.s1 !== undefined) process.stdout.write(`\n${formatS1(report.s1)}\n`);
    if (options.write) progress(`\nwrote ${write(report)}`);
  }
} catch (error) {
  process.exitCode = error instanceof UsageError ? 2 : 1;
  progress(`bench: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof UsageError) progress(USAGE);
} finally {
  await stopAll(3_000);
}
