import type { Delivery } from './subscription-protocol.js';

/**
 * S1's arithmetic, apart from the processes it runs so a unit test can check it: what the
 * worker's deliveries and the idle phase's samples say against the issue's targets.
 */

export interface Spread {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentiles (the p99 of 20 values is the largest). */
export function spread(values: readonly number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  return { p50: rank(0.5), p99: rank(0.99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

export interface DeliverySummary {
  readonly customers: number;
  readonly subscribers: number;
  readonly delivered: number;
  readonly missing: number;
  /** Per subscriber: its event's arrival − the read time of the poll that found the change. */
  readonly latencyMs: Spread | undefined;
  /** Per changed customer: its last subscriber's arrival − that customer's poll read. */
  readonly customerAllDeliveredMs: Spread | undefined;
  /** Latest − earliest read time of the polls that found the changes (the polls' own spread). */
  readonly pollSpreadMs: number | undefined;
  /** The last arrival − the earliest read that found a change: the whole burst. */
  readonly firstReadToLastDeliveryMs: number | undefined;
  /** Events whose read predates the change request: they cannot be the change (should be 0). */
  readonly readBeforeChange: number;
}

export function summariseDeliveries(
  customers: number,
  expected: number,
  deliveries: readonly Delivery[],
  missing: number,
  changedAt: number,
): DeliverySummary {
  const latest = new Map<string, number>();
  for (const d of deliveries) {
    latest.set(d.customerId, Math.max(latest.get(d.customerId) ?? 0, d.receivedAt - d.readAt));
  }
  const reads = deliveries.map((d) => d.readAt);
  const first = reads.length === 0 ? undefined : Math.min(...reads);
  return {
    customers,
    subscribers: expected,
    delivered: deliveries.length,
    missing,
    latencyMs: spread(deliveries.map((d) => d.receivedAt - d.readAt)),
    customerAllDeliveredMs: spread([...latest.values()]),
    pollSpreadMs: first === undefined ? undefined : Math.max(...reads) - first,
    firstReadToLastDeliveryMs:
      first === undefined ? undefined : Math.max(...deliveries.map((d) => d.receivedAt)) - first,
    readBeforeChange: deliveries.filter((d) => d.readAt < changedAt).length,
  };
}

/** One reading of the idle phase. */
export interface IdleSample {
  /** ms since the phase began */
  readonly t: number;
  /** The simulator's read counter. */
  readonly reads: number;
  /** CPU seconds of each gateway since it started. */
  readonly gatewayCpu: readonly number[];
  readonly redisCpu: number;
}

export interface IdleSummary {
  readonly seconds: number;
  readonly reads: number;
  /** customers × seconds ÷ interval: one read per watched customer per interval. */
  readonly expectedReads: number;
  /** reads ÷ expectedReads: the "reads per minute ÷ (customers / interval)". */
  readonly readRatio: number;
  readonly readsPerMinute: number;
  /** Both gateways, CPU seconds per minute over the whole phase (polls included). */
  readonly cpuSecondsPerMinute: number;
  readonly cpuSecondsPerMinuteByReplica: readonly number[];
  /** The same over the slices with no read in them nor beside them: between polls. */
  readonly betweenPollsCpuSecondsPerMinute: number | undefined;
  readonly betweenPollsSeconds: number;
  /**
   * A least-squares line through the slices, CPU rate against read rate: where it meets zero
   * reads is the idle cost without polls (per minute), its slope what one poll costs the fleet
   * (ms). It needs no quiet slice, so it holds when the polls are spread over the whole interval.
   */
  readonly fitted:
    { readonly idleCpuSecondsPerMinute: number; readonly cpuMsPerRead: number } | undefined;
  readonly redisCpuSecondsPerMinute: number;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

export function summariseIdle(
  samples: readonly IdleSample[],
  customers: number,
  intervalSeconds: number,
): IdleSummary {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (first === undefined || last === undefined || last.t <= first.t) {
    throw new Error('the idle phase needs two samples at least');
  }
  const seconds = (last.t - first.t) / 1000;
  const perMinute = (cpu: number, overSeconds: number) => (cpu / overSeconds) * 60;
  const reads = last.reads - first.reads;
  const expectedReads = (customers * seconds) / intervalSeconds;
  // Slice i runs from sample i to i + 1; it is between polls when it and its neighbours read nothing.
  const readIn = (i: number) => {
    const from = samples[i];
    const to = samples[i + 1];
    return from === undefined || to === undefined ? 0 : to.reads - from.reads;
  };
  let quietMs = 0;
  let quietCpu = 0;
  // The first and last slices have a neighbour nobody saw: they never count as quiet.
  for (let i = 1; i + 2 < samples.length; i += 1) {
    if (readIn(i - 1) + readIn(i) + readIn(i + 1) > 0) continue;
    const from = samples[i];
    const to = samples[i + 1];
    if (from === undefined || to === undefined) continue;
    quietMs += to.t - from.t;
    quietCpu += sum(to.gatewayCpu) - sum(from.gatewayCpu);
  }
  const points: { x: number; y: number }[] = [];
  for (let i = 0; i + 1 < samples.length; i += 1) {
    const from = samples[i];
    const to = samples[i + 1];
    if (from === undefined || to === undefined || to.t <= from.t) continue;
    const dt = (to.t - from.t) / 1000;
    points.push({ x: readIn(i) / dt, y: (sum(to.gatewayCpu) - sum(from.gatewayCpu)) / dt });
  }
  const line = fit(points);
  return {
    seconds,
    reads,
    expectedReads,
    readRatio: reads / expectedReads,
    readsPerMinute: (reads / seconds) * 60,
    cpuSecondsPerMinute: perMinute(sum(last.gatewayCpu) - sum(first.gatewayCpu), seconds),
    cpuSecondsPerMinuteByReplica: last.gatewayCpu.map((cpu, i) =>
      perMinute(cpu - (first.gatewayCpu[i] ?? 0), seconds),
    ),
    betweenPollsCpuSecondsPerMinute:
      quietMs === 0 ? undefined : perMinute(quietCpu, quietMs / 1000),
    betweenPollsSeconds: quietMs / 1000,
    fitted:
      line === undefined
        ? undefined
        : { idleCpuSecondsPerMinute: line.intercept * 60, cpuMsPerRead: line.slope * 1000 },
    redisCpuSecondsPerMinute: perMinute(last.redisCpu - first.redisCpu, seconds),
  };
}

/** Ordinary least squares; undefined when every x is the same. */
export function fit(
  points: readonly { readonly x: number; readonly y: number }[],
): { readonly slope: number; readonly intercept: number } | undefined {
  const n = points.length;
  if (n < 2) return undefined;
  const mx = sum(points.map((p) => p.x)) / n;
  const my = sum(points.map((p) => p.y)) / n;
  const sxx = sum(points.map((p) => (p.x - mx) ** 2));
  if (sxx === 0) return undefined;
  const slope = sum(points.map((p) => (p.x - mx) * (p.y - my))) / sxx;
  return { slope, intercept: my - slope * mx };
}

/** RSS with the subscriptions minus without, per 1,000 of the replica's subscriptions, bytes. */
export function rssPerThousand(withoutBytes: number, withBytes: number, subscriptions: number) {
  return subscriptions === 0 ? Number.NaN : ((withBytes - withoutBytes) / subscriptions) * 1000;
}
