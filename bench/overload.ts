import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deathOf, track } from './child-processes.js';
import type {
  OverloadLoad,
  OverloadParentMessage,
  OverloadWorkerMessage,
} from './overload-protocol.js';
import { CLOCK_TICKS, machineTicks, cpuSeconds, memory } from './proc-stats.js';
import type { RssSample } from './measure.js';
import { slope } from './report.js';
import { metricTotals } from './metrics-text.js';
import { simulatorStats, startGateway, startSimulator } from './services.js';
import { WORKLOADS } from './workloads.js';

/**
 * The overload run: far more load than Partner Center's side can take (the issue's "Why":
 * 200 callers of `customers(ids:)` with 15 ids against UPSTREAM_MAX_CONCURRENCY=16 and a 200 ms
 * upstream, 40× its 5.3 operations a second). Measured from a fresh start, so the cold start is
 * part of it, and again after a warm-up of the same load (the steady state); optionally the cold
 * run against another commit's gateway too ("before").
 */

export const OVERLOAD = {
  workload: 'O1',
  latencyMs: 200,
  upstreamMaxConcurrency: 16,
  connections: 200,
  durationSeconds: 15,
  steadyStateWarmupSeconds: 5,
  clientTimeoutMs: 10_000,
} as const;

export interface OverloadResult {
  readonly label: string;
  readonly commit: string | undefined;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly honourRetryAfter: boolean;
  readonly load: OverloadLoad;
  /** What the upstream side can serve: concurrency ÷ latency ÷ reads per operation. */
  readonly capacityOpsPerSecond: number;
  readonly goodputOpsPerSecond: number;
  readonly upstreamReads: number;
  /** From the gateway's /metrics at the end of the measured phase. */
  readonly upstreamAttempts: Readonly<Record<string, number>>;
  readonly errorCodes: Readonly<Record<string, number>>;
  /** The gateway's own estimate of a call's round trip at the end (absent before issue 16). */
  readonly holdMeanMs: number | undefined;
  readonly rss: {
    readonly firstBytes: number;
    readonly lastBytes: number;
    readonly peakBytes: number;
    readonly slopeMiBPerMinute: number;
  };
  readonly gatewayCpuPercent: number | undefined;
  readonly otherCpuPercent: number | undefined;
}

const WORKER = fileURLToPath(new URL('./overload-worker.ts', import.meta.url));

/** A checkout of `ref` in a temporary directory, built, sharing this checkout's node_modules. */
export function checkoutAndBuild(ref: string): { dir: string; commit: string; remove(): void } {
  const dir = join(mkdtempSync(join(tmpdir(), 'pcgw-before-')), 'checkout');
  execFileSync('git', ['worktree', 'add', '--detach', dir, ref], { stdio: 'ignore' });
  const remove = () => {
    execFileSync('git', ['worktree', 'remove', '--force', dir], { stdio: 'ignore' });
    rmSync(resolve(dir, '..'), { recursive: true, force: true });
  };
  try {
    symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
    execFileSync(
      process.execPath,
      [resolve('node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.build.json')],
      { stdio: 'inherit' },
    );
    const commit = execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
    }).trim();
    return { dir, commit, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

export interface OverloadOptions {
  /** Another build's `dist/main.js`; default this checkout's. */
  readonly script?: string;
  readonly commit?: string | undefined;
  readonly durationSeconds?: number | undefined;
  /** Load before the measured phase, not counted: 0 measures the cold start too. */
  readonly warmupSeconds?: number | undefined;
  /** Refused callers wait their Retry-After before sending again. */
  readonly honourRetryAfter?: boolean | undefined;
}

export async function runOverload(
  label: string,
  options: OverloadOptions,
): Promise<OverloadResult> {
  const durationSeconds = options.durationSeconds ?? OVERLOAD.durationSeconds;
  const simulator = await startSimulator(OVERLOAD.latencyMs);
  const gateway = await startGateway({
    partnerCenterOrigin: simulator.origin,
    upstreamMaxConcurrency: OVERLOAD.upstreamMaxConcurrency,
    // Overload means more reads than Partner Center's bound allows: the cache would answer them.
    extraEnv: { CACHE_ENABLED: 'false' },
    nodeArgs: [],
    script: options.script,
  }).catch(async (error: unknown) => {
    await simulator.process.stop();
    throw error;
  });
  const worker = track(
    'overload worker',
    fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }),
  );
  const samples: RssSample[] = [];
  let sampler: NodeJS.Timeout | undefined;
  try {
    const readsBefore = (await simulatorStats(simulator)).reads;
    let started = performance.now();
    let cpuBefore: number | undefined;
    let busyBefore: number | undefined;
    let resolveEnd: (text: string) => void = () => undefined;
    // The gateway's counters as the measured phase ends, before callers still waiting are cut off.
    const metricsAtEnd = new Promise<string>((resolveText) => (resolveEnd = resolveText));
    const measure = () => {
      started = performance.now();
      cpuBefore = cpuSeconds(gateway.process.pid);
      busyBefore = machineTicks()?.busy;
      sampler = setInterval(() => {
        const now = memory(gateway.process.pid);
        if (now !== undefined)
          samples.push({ t: (performance.now() - started) / 1000, rssBytes: now.rssBytes });
      }, 1000);
      setTimeout(
        () => {
          void fetch(`${gateway.origin}/metrics`)
            .then((response) => response.text())
            .then(resolveEnd, () => resolveEnd(''));
        },
        durationSeconds * 1000 - 100,
      );
      tell({ type: 'measure' });
    };
    const messages = new Promise<OverloadWorkerMessage[]>((resolveAll) => {
      const seen: OverloadWorkerMessage[] = [];
      worker.child.on('message', (message: OverloadWorkerMessage) => {
        seen.push(message);
        if (message.type === 'warmedUp') measure();
        else resolveAll(seen);
      });
    });
    const tell = (message: OverloadParentMessage) => worker.child.send(message);
    tell({
      type: 'plan',
      plan: {
        workload: OVERLOAD.workload,
        origin: gateway.origin,
        connections: OVERLOAD.connections,
        warmupSeconds: options.warmupSeconds ?? 0,
        durationSeconds,
        clientTimeoutMs: OVERLOAD.clientTimeoutMs,
        honourRetryAfter: options.honourRetryAfter ?? false,
      },
    });
    const readsAtEnd = metricsAtEnd.then(async () => (await simulatorStats(simulator)).reads);
    const cpuAtEnd = metricsAtEnd.then(() => ({
      cpu: cpuSeconds(gateway.process.pid),
      busy: machineTicks()?.busy,
      at: performance.now(),
    }));
    const seen = await Promise.race([
      messages,
      deathOf(worker, 'before sending its result'),
      deathOf(gateway.process, 'during the overload run'),
    ]);
    clearInterval(sampler);
    const last = seen.at(-1);
    if (last?.type === 'failed') throw new Error(`overload worker: ${last.message}`);
    if (last?.type !== 'result') throw new Error('overload worker sent no result');
    const text = await metricsAtEnd;
    const end = await cpuAtEnd;
    const wall = (end.at - started) / 1000;
    const gatewayCpu =
      end.cpu === undefined || cpuBefore === undefined ? undefined : end.cpu - cpuBefore;
    const machineCpu =
      end.busy === undefined || busyBefore === undefined
        ? undefined
        : (end.busy - busyBefore) / CLOCK_TICKS;
    const load = last.result;
    const capacity =
      OVERLOAD.upstreamMaxConcurrency /
      (OVERLOAD.latencyMs / 1000) /
      WORKLOADS[OVERLOAD.workload].uniqueCustomersPerOperation;
    const first = samples[0];
    const final = samples.at(-1);
    return {
      label,
      commit: options.commit,
      durationSeconds,
      warmupSeconds: options.warmupSeconds ?? 0,
      honourRetryAfter: options.honourRetryAfter ?? false,
      load,
      capacityOpsPerSecond: capacity,
      goodputOpsPerSecond: load.answered / load.seconds,
      upstreamReads: (await readsAtEnd) - readsBefore,
      upstreamAttempts: metricTotals(
        text,
        'pcgw_upstream_request_duration_seconds_count',
        'outcome',
      ),
      errorCodes: metricTotals(text, 'pcgw_graphql_errors_total', 'code'),
      holdMeanMs: (() => {
        const mean = metricTotals(text, 'pcgw_upstream_hold_seconds_estimate', 'estimate')['mean'];
        return mean === undefined ? undefined : mean * 1000;
      })(),
      rss: {
        firstBytes: first?.rssBytes ?? 0,
        lastBytes: final?.rssBytes ?? 0,
        peakBytes: memory(gateway.process.pid)?.peakRssBytes ?? 0,
        slopeMiBPerMinute: (slope(samples) * 60) / 2 ** 20,
      },
      gatewayCpuPercent: gatewayCpu === undefined ? undefined : (gatewayCpu / wall) * 100,
      otherCpuPercent:
        machineCpu === undefined || gatewayCpu === undefined
          ? undefined
          : Math.max(0, ((machineCpu - gatewayCpu) / wall) * 100),
    };
  } finally {
    clearInterval(sampler);
    await worker.stop(2_000);
    await gateway.process.stop();
    await simulator.process.stop();
  }
}

const MiB = 2 ** 20;
const ms = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(0));

export function formatOverload(results: readonly OverloadResult[]): string {
  const header =
    '| gateway | goodput ops/s | of capacity | refused 503 | refused p50 / p99 ms | answered p50 / p99 ms | partial | gave up | UPSTREAM_TIMEOUT ops (fields) | upstream reads | hold mean ms | attempts timeout / aborted / shed | RSS first → last (peak) MiB, slope MiB/min | CPU % gateway / other |';
  const rows = results.map((r) => {
    const attempts = r.upstreamAttempts;
    return `| ${r.label}${r.commit === undefined ? '' : ` \`${r.commit}\``}${r.warmupSeconds > 0 ? `, after ${r.warmupSeconds} s of the same load` : ', cold start'}${r.honourRetryAfter ? ', callers honour Retry-After' : ''} | ${r.goodputOpsPerSecond.toFixed(2)} | ${(r.goodputOpsPerSecond / r.capacityOpsPerSecond).toFixed(2)} | ${r.load.refused} (${r.load.refusedWithRetryAfter} with Retry-After) | ${ms(r.load.refusedMs.p50)} / ${ms(r.load.refusedMs.p99)} | ${ms(r.load.answeredMs.p50)} / ${ms(r.load.answeredMs.p99)} | ${r.load.partial} | ${r.load.gaveUp} | ${r.load.upstreamTimeoutOperations} (${r.load.upstreamTimeoutFields}) | ${r.upstreamReads} | ${ms(r.holdMeanMs)} | ${attempts['timeout'] ?? 0} / ${attempts['aborted'] ?? 0} / ${attempts['overloaded'] ?? 0} | ${(r.rss.firstBytes / MiB).toFixed(0)} → ${(r.rss.lastBytes / MiB).toFixed(0)} (${(r.rss.peakBytes / MiB).toFixed(0)}), ${r.rss.slopeMiBPerMinute >= 0 ? '+' : ''}${r.rss.slopeMiBPerMinute.toFixed(1)} | ${ms(r.gatewayCpuPercent)} / ${ms(r.otherCpuPercent)} |`;
  });
  return [
    `Overload: ${OVERLOAD.connections} connections of customers(ids:) with 15 ids, closed loop, ${results[0]?.durationSeconds ?? OVERLOAD.durationSeconds} s measured on a fresh gateway and simulator; simulator ${OVERLOAD.latencyMs} ms, UPSTREAM_MAX_CONCURRENCY=${OVERLOAD.upstreamMaxConcurrency}: capacity ${(results[0]?.capacityOpsPerSecond ?? 0).toFixed(2)} ops/s; callers give up after ${OVERLOAD.clientTimeoutMs / 1000} s`,
    '',
    header,
    `|${header
      .split('|')
      .slice(1, -1)
      .map(() => ' --- ')
      .join('|')}|`,
    ...rows,
    '',
    ...results.map(
      (r) =>
        `${r.label}: error codes callers received ${JSON.stringify(r.load.errorCodes)}; gateway's pcgw_graphql_errors_total ${JSON.stringify(r.errorCodes)}`,
    ),
  ].join('\n');
}
