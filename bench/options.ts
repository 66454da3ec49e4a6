import { parseArgs } from 'node:util';
import { S1_DEFAULTS, type S1Settings } from './s1-settings.js';
import {
  DEFAULT_WORKLOADS,
  isWorkloadName,
  WORKLOAD_NAMES,
  type WorkloadName,
} from './workloads.js';

export interface BenchOptions {
  /** Simulator latencies to run every workload at, ms. */
  readonly latenciesMs: readonly number[];
  readonly workloads: readonly WorkloadName[];
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  /** Every workload×latency runs once per round, the rounds one after another. */
  readonly rounds: number;
  /** UPSTREAM_MAX_CONCURRENCY of the gateway. */
  readonly upstreamMaxConcurrency: number;
  /** Seconds of the memory soak (W1 at 0 ms), or undefined for none. */
  readonly soakSeconds: number | undefined;
  readonly write: boolean;
  /** Where the gateway writes V8 CPU profiles (`node --cpu-prof`), or undefined. */
  readonly cpuProfileDir: string | undefined;
  readonly gatewayEnv: Readonly<Record<string, string>>;
  /** Extra `node` flags for the gateway (`--gateway-node-arg`), e.g. `--import ./probe.mjs`. */
  readonly gatewayNodeArgs: readonly string[];
  /** A git ref whose gateway also runs the overload run (O1), built in a temporary worktree. */
  readonly overloadBefore: string | undefined;
  /**
   * A git ref whose gateway also runs every gateway workload (not the references), in the same
   * rounds, built in a temporary worktree: a before/after of the same minutes.
   */
  readonly before: string | undefined;
  /** Measured seconds of the overload run (default 15, the scenario). */
  readonly overloadSeconds: number | undefined;
  /** Measured seconds of the fleet run (F1; default 150). */
  readonly fleetSeconds: number | undefined;
  /** The sizes of S1, the idle-subscriptions run. */
  readonly s1: S1Settings;
}

export const USAGE = `Usage: npm run bench -- [options]

  --latency 0,20         simulator latencies, ms (each workload runs at each)
  --workloads W1,W2,W3,W4,W5,W6,O1
                         W1 customer(id:), W2 customers(ids:) 20 ids/15 unique,
                         W3 _entities 50 representations/40 unique (W1–W3 with the cache off),
                         W4 the simulator's REST endpoint directly (the physical limit),
                         W5 W1 over a warm cache, W6 W5 on two gateways sharing a Redis
                         (needs redis-server); also, not in the default: W7 W1 with REDIS_URL
                         and UPSTREAM_MAX_CALLS_PER_MINUTE on (needs redis-server), R1 (W1's
                         request to a bare node:http + undici proxy), R2, R3, R4 (W1's, W2's,
                         W3's request to a minimal Apollo Server subgraph);
                         O1 the overload run (fixed: 200 connections, 200 ms, concurrency 16,
                         15 s; --latency, --connections and --duration do not apply);
                         F1 the fleet run (see --fleet-seconds);
                         S1 idle subscriptions (needs redis-server; see --s1-*): the watch on
                         two gateways, then W1 and W5 with and without them at each --latency
  --s1-connections 1000  S1's graphql-ws connections (from a worker process)
  --s1-per-connection 10 subscriptions per connection, one customer each
  --s1-customers 500     distinct customers the subscriptions watch
  --s1-interval 10       WATCH_POLL_SECONDS and WATCH_POLL_IN_REVIEW_SECONDS of S1's gateways
  --s1-intervals 3       whole intervals the idle phase is measured over
  --s1-singles 5         one-customer changes timed after the all-customer change
  --s1-no-compare        skip S1's W1/W5 runs with and without the subscriptions
  --before REF           also run every gateway workload (W1–W3, W5–W7) against the gateway of
                         git REF, built in a temporary worktree, in the same rounds and right
                         beside this checkout's run (which goes first alternates by round),
                         and report this/before ratios within each round
  --overload-before REF  also run O1 against the gateway of git REF (e.g. main), checked out
                         and built in a temporary worktree: the before/after of one run
  --overload-seconds 15  length of the overload run (longer to watch memory stay flat)
  --fleet-seconds 150    length of F1, the fleet run: three gateways sharing a Redis under
                         UPSTREAM_MAX_CALLS_PER_MINUTE=60 (needs redis-server; not in the default)
  --rounds 1             run every workload×latency this many times, interleaved (round 1 runs
                         all of them, then round 2, …), and report medians, min–max and
                         ratios within each round (W1/R2, W2/R3, W3/R4, W1/W4, W5/W4,
                         W7/W1); S1's W1/W5 pairs too, each pair in the other order
                         every second round
  --duration 10          measured seconds per run
  --warmup 3             seconds of load before each measurement (not counted)
  --connections 32       concurrent connections of the load generator
  --concurrency N        the gateway's UPSTREAM_MAX_CONCURRENCY; by default the same as
                         --connections, so the gateway may hold as many calls open upstream as
                         W4's load generator does
  --soak 60              also run a memory soak: W1 at 0 ms for this many seconds, sampling the
                         gateway's RSS every second (alone, unless --workloads is given too)
  --cpu-prof DIR         run the gateway with node --cpu-prof, profiles written to DIR
  --gateway-env K=V      extra gateway environment variable (repeatable), for experiments
  --gateway-node-arg=ARG extra node flag for the gateway (repeatable), e.g. --max-old-space-size=64
  --no-write             do not write bench/results/<date>-<commit>.json
  --help`;

const DEFAULTS = {
  latency: '0,20',
  workloads: DEFAULT_WORKLOADS.join(','),
  duration: '10',
  warmup: '3',
  connections: '32',
  rounds: '1',
};

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function wholeNumber(name: string, raw: string, min: number): number {
  const value = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`--${name} must be a whole number ≥ ${min}, not "${raw}"`);
  }
  return value;
}

function list(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Parses `argv`; returns undefined for --help. */
export function parseOptions(argv: readonly string[]): BenchOptions | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        latency: { type: 'string' },
        workloads: { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        rounds: { type: 'string' },
        concurrency: { type: 'string' },
        soak: { type: 'string' },
        'cpu-prof': { type: 'string' },
        'gateway-env': { type: 'string', multiple: true },
        'gateway-node-arg': { type: 'string', multiple: true },
        'overload-before': { type: 'string' },
        before: { type: 'string' },
        'overload-seconds': { type: 'string' },
        'fleet-seconds': { type: 'string' },
        's1-connections': { type: 'string' },
        's1-per-connection': { type: 'string' },
        's1-customers': { type: 'string' },
        's1-interval': { type: 'string' },
        's1-intervals': { type: 'string' },
        's1-singles': { type: 'string' },
        's1-no-compare': { type: 'boolean' },
        // Node 20's parseArgs has no allowNegative, so the negative form is its own flag.
        'no-write': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  if (values.help === true) return undefined;

  const soakSeconds = values.soak === undefined ? undefined : wholeNumber('soak', values.soak, 1);
  // A soak alone is the common case; workloads run with it only when asked for.
  const workloadList =
    values.workloads ?? (soakSeconds === undefined ? DEFAULTS.workloads : undefined);
  const workloads = workloadList === undefined ? [] : list(workloadList);
  for (const name of workloads) {
    if (!isWorkloadName(name)) {
      throw new UsageError(`unknown workload "${name}": use ${WORKLOAD_NAMES.join(', ')}`);
    }
  }
  const latenciesMs = list(values.latency ?? DEFAULTS.latency).map((raw) =>
    wholeNumber('latency', raw, 0),
  );
  if (latenciesMs.length === 0) throw new UsageError('--latency needs at least one value');

  const gatewayEnv: Record<string, string> = {};
  for (const pair of values['gateway-env'] ?? []) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair);
    if (match?.[1] === undefined || match[2] === undefined) {
      throw new UsageError(`--gateway-env wants NAME=value, not "${pair}"`);
    }
    gatewayEnv[match[1]] = match[2];
  }

  const connections = wholeNumber('connections', values.connections ?? DEFAULTS.connections, 1);
  const s1Number = (name: keyof typeof values & `s1-${string}`, fallback: number, min: number) => {
    const raw = values[name];
    return typeof raw === 'string' ? wholeNumber(name, raw, min) : fallback;
  };
  const s1: S1Settings = {
    connections: s1Number('s1-connections', S1_DEFAULTS.connections, 1),
    perConnection: s1Number('s1-per-connection', S1_DEFAULTS.perConnection, 1),
    customers: s1Number('s1-customers', S1_DEFAULTS.customers, 1),
    intervalSeconds: s1Number('s1-interval', S1_DEFAULTS.intervalSeconds, 1),
    intervals: s1Number('s1-intervals', S1_DEFAULTS.intervals, 1),
    singleChanges: s1Number('s1-singles', S1_DEFAULTS.singleChanges, 0),
    compare: values['s1-no-compare'] !== true,
  };
  if (s1.perConnection > 1000) throw new UsageError('--s1-per-connection must be at most 1000');
  return {
    latenciesMs: [...new Set(latenciesMs)],
    workloads: [...new Set(workloads.filter(isWorkloadName))],
    durationSeconds: wholeNumber('duration', values.duration ?? DEFAULTS.duration, 1),
    warmupSeconds: wholeNumber('warmup', values.warmup ?? DEFAULTS.warmup, 0),
    connections,
    rounds: wholeNumber('rounds', values.rounds ?? DEFAULTS.rounds, 1),
    upstreamMaxConcurrency: wholeNumber(
      'concurrency',
      values.concurrency ?? String(connections),
      1,
    ),
    soakSeconds,
    write: values['no-write'] !== true,
    cpuProfileDir: values['cpu-prof'],
    gatewayEnv,
    gatewayNodeArgs: values['gateway-node-arg'] ?? [],
    overloadBefore: values['overload-before'],
    before: values.before,
    overloadSeconds:
      values['overload-seconds'] === undefined
        ? undefined
        : wholeNumber('overload-seconds', values['overload-seconds'], 1),
    fleetSeconds:
      values['fleet-seconds'] === undefined
        ? undefined
        : wholeNumber('fleet-seconds', values['fleet-seconds'], 1),
    s1,
  };
}
